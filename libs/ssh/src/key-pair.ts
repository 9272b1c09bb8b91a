import { utils } from 'ssh2';

/** Tries before giving up; a bad pair comes about once in 256, so two in a row is already rare. */
const ATTEMPTS = 16;

/**
 * An ed25519 pair in OpenSSH format that ssh2 itself can read back. ssh2's generator strips leading
 * zero bytes from the public key, so about 1 pair in 256 is malformed (mscdex/ssh2#1390, #1513) and
 * a server would refuse it; such a pair is thrown away and another made.
 */
export function generateSshKeyPair(comment?: string): { private: string; public: string } {
  for (let i = 0; i < ATTEMPTS; i++) {
    const pair = utils.generateKeyPairSync('ed25519', comment ? { comment } : undefined);
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error(`ssh2 made ${ATTEMPTS} unreadable ed25519 key pairs in a row`);
}
