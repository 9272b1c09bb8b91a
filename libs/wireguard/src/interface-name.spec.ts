import { WgParseError } from './errors';
import { parseInterfaceName } from './interface-name';

describe(parseInterfaceName.name, () => {
  it.each(['wg0', 'wg-0', 'wg_0', 'a', 'wl1a2b3cs0', 'x.y+z=w', '123456789012345'])('accepts %p', (name) => {
    expect(parseInterfaceName(name)).toBe(name);
  });

  // A leading dash would be read by `wg` (and ip, ssh, …) as an option, not an interface name.
  it.each(['-wg0', '-', '--help', '-h'])('refuses %p, which starts with a dash', (name) => {
    expect(() => parseInterfaceName(name)).toThrow(WgParseError);
  });

  it.each(['', '.', '..', 'wg 0', 'wg0;id', '1234567890123456', 'wg/0'])('refuses %p', (name) => {
    expect(() => parseInterfaceName(name)).toThrow(WgParseError);
  });
});
