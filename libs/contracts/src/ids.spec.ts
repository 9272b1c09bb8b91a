import { CommonErrorCode } from './errors';
import { isUuid, parseUuid } from './ids';

describe('ids', () => {
  it('knows a UUID in either case from anything else', () => {
    expect(isUuid('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isUuid('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(true);
    for (const bad of ['', 'x', '0f8fad5b-d9cb-469f-a165-70867728950', "0f8fad5b-d9cb-469f-a165-70867728950e' OR '1'='1", ' 0f8fad5b-d9cb-469f-a165-70867728950e', 42, null, undefined, {}]) {
      expect([bad, isUuid(bad)]).toEqual([bad, false]);
    }
  });

  it('parses to lower case, or refuses with VALIDATION_FAILED naming the field', () => {
    expect(parseUuid('0F8FAD5B-D9CB-469F-A165-70867728950E', 'userId')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(() => parseUuid('nope', 'userId')).toThrow(expect.objectContaining({ code: CommonErrorCode.VALIDATION_FAILED, message: expect.stringContaining('userId') }));
  });
});
