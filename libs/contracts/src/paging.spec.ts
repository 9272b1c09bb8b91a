import { containsPattern, decodeCursor, encodeCursor, parsePageLimit, PAGE_LIMIT_DEFAULT } from './paging';
import { isUuid } from './ids';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('keyset paging helpers', () => {
  const fields = { email: (v: string) => v.length > 0, id: isUuid };
  const id = '6f1c1f9e-2a4b-4c1d-9e3f-0a1b2c3d4e5f';

  it('a cursor decodes to the key it was made from, and is base64url', () => {
    const cursor = encodeCursor({ email: 'Ünïcode+x@example.com', id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, fields)).toEqual({ email: 'Ünïcode+x@example.com', id });
  });

  it('refuses what is not a cursor of this listing with VALIDATION_FAILED', () => {
    for (const forged of ['', '!!', 'bm90IGpzb24', encodeCursor({ email: 'a@b' }), encodeCursor({ email: 'a@b', id: 'x' }),
      encodeCursor({ email: 'a@b', id, extra: '1' }), Buffer.from('[1]').toString('base64url'), Buffer.from('{"email":1,"id":2}').toString('base64url')]) {
      expect([forged, code(() => decodeCursor(forged, fields))]).toEqual([forged, 'VALIDATION_FAILED']);
    }
  });

  it('a page size is 1–200 with 50 by default', () => {
    expect([parsePageLimit(undefined), parsePageLimit(1), parsePageLimit(200)]).toEqual([PAGE_LIMIT_DEFAULT, 1, 200]);
    for (const bad of [0, 201, 1.5, '10', null, Number.NaN]) expect(code(() => parsePageLimit(bad))).toBe('VALIDATION_FAILED');
  });

  it('a search text matches anywhere, its LIKE wildcards and backslash taken literally', () => {
    expect(containsPattern('a_b%c\\d')).toBe('%a\\_b\\%c\\\\d%');
  });
});
