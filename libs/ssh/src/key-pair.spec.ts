import { utils } from 'ssh2';
import { generateSshKeyPair } from './key-pair';

describe(generateSshKeyPair.name, () => {
  it('makes only pairs that parse back, with the comment on the public line (2,000 pairs: ssh2 alone fails ~8 of them)', () => {
    for (let i = 0; i < 2_000; i++) {
      const pair = generateSshKeyPair('vpn-test');
      const pub = utils.parseKey(pair.public);
      const priv = utils.parseKey(pair.private);
      expect(pub instanceof Error ? pub.message : pub.type).toBe('ssh-ed25519');
      expect(priv instanceof Error ? priv.message : priv.type).toBe('ssh-ed25519');
      expect(pair.public.endsWith(' vpn-test')).toBe(true);
    }
  });
});
