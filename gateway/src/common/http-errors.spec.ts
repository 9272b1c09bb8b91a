import { AuthErrorCode, BillingErrorCode, CommonErrorCode, VpnErrorCode, type ErrorCode } from '@vpn/contracts';
import { codeForStatus, httpAnswerFor } from './http-errors';

describe(httpAnswerFor.name, () => {
  it.each<[ErrorCode, number, string]>([
    [AuthErrorCode.EMAIL_TAKEN, 409, 'EMAIL_TAKEN'],
    [AuthErrorCode.INVALID_CREDENTIALS, 401, 'INVALID_CREDENTIALS'],
    [AuthErrorCode.TOO_MANY_ATTEMPTS, 429, 'TOO_MANY_ATTEMPTS'],
    [AuthErrorCode.LAST_ADMIN, 409, 'LAST_ADMIN'],
    [BillingErrorCode.PLAN_LIMIT_REACHED, 403, 'PLAN_LIMIT_REACHED'],
    [VpnErrorCode.SERVER_NOT_FOUND, 404, 'SERVER_NOT_FOUND'],
    [VpnErrorCode.SERVER_MAINTENANCE, 409, 'SERVER_MAINTENANCE'],
    [VpnErrorCode.ADDRESS_POOL_EXHAUSTED, 409, 'ADDRESS_POOL_EXHAUSTED'],
    [VpnErrorCode.PUBLIC_KEY_IN_USE, 409, 'PUBLIC_KEY_IN_USE'],
    [VpnErrorCode.PROVISIONING_FAILED, 502, 'PROVISIONING_FAILED'],
    [VpnErrorCode.SSH_UNREACHABLE, 502, 'SSH_UNREACHABLE'],
    [VpnErrorCode.HOST_KEY_MISMATCH, 502, 'HOST_KEY_MISMATCH'],
    [VpnErrorCode.SERVER_HAS_CONFIGS, 409, 'SERVER_HAS_CONFIGS'],
    [VpnErrorCode.INVALID_PUBLIC_KEY, 400, 'INVALID_PUBLIC_KEY'],
    [VpnErrorCode.CONFIG_NOT_FOUND, 404, 'NOT_FOUND'],
    [CommonErrorCode.NOT_FOUND, 404, 'NOT_FOUND'],
    [CommonErrorCode.BUS_TIMEOUT, 503, 'SERVICE_UNAVAILABLE'],
    [CommonErrorCode.BUS_UNAVAILABLE, 503, 'SERVICE_UNAVAILABLE'],
    [CommonErrorCode.INTERNAL, 500, 'INTERNAL'],
    [CommonErrorCode.PAYLOAD_TOO_LARGE, 413, 'PAYLOAD_TOO_LARGE'],
    [CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('maps %s to %i %s', (code, status, bodyCode) => {
    expect(httpAnswerFor(code)).toEqual({ status, code: bodyCode });
  });

  it('maps every code in the contracts to a status between 400 and 599', () => {
    const all = [...Object.values(CommonErrorCode), ...Object.values(AuthErrorCode), ...Object.values(BillingErrorCode), ...Object.values(VpnErrorCode)];
    for (const code of all) {
      const { status } = httpAnswerFor(code);
      expect([code, status >= 400 && status < 600]).toEqual([code, true]);
    }
  });
});

describe(codeForStatus.name, () => {
  it('names Nest’s own statuses with contract codes', () => {
    expect(codeForStatus(400)).toBe('VALIDATION_FAILED');
    expect(codeForStatus(404)).toBe('NOT_FOUND');
    expect(codeForStatus(413)).toBe('PAYLOAD_TOO_LARGE');
    expect(codeForStatus(415)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(codeForStatus(500)).toBe('INTERNAL');
  });
});
