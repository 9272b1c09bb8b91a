import { WgParseError } from './errors';
import { confFileName, parseInterfaceName } from './interface-name';

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

describe(confFileName.name, () => {
  it.each([
    ['My work laptop', 'My_work_laptop.conf'],
    ['phone', 'phone.conf'],
    ['A very long device name', 'A_very_long_dev.conf'],
    ['  spaced   out  ', 'spaced_out.conf'],
    ['Téléphone de Zoë', 'Tlphone_de_Zo.conf'],
    ['--help', 'help.conf'],
    ['日本語', 'wg0.conf'],
    ['..', 'wg0.conf'],
    ['', 'wg0.conf'],
  ])('names the file of %p %p', (device, file) => {
    expect(confFileName(device)).toBe(file);
  });

  it('always gives a stem wg-quick accepts as an interface name', () => {
    for (const name of ['My work laptop', 'x'.repeat(64), 'a b.c_d-e', '-.-', 'ü ü ü']) {
      expect(parseInterfaceName(confFileName(name).replace(/\.conf$/, ''))).toBeTruthy();
    }
  });
});
