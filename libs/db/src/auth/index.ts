import { LoginAttemptEntity } from './login-attempt.entity';
import { PasswordResetTokenEntity } from './password-reset-token.entity';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { UserEntity } from './user.entity';

export { LoginAttemptEntity, PasswordResetTokenEntity, RecoveryCodeEntity, RefreshTokenEntity, UserEntity };
export type { UserRole } from './user.entity';

/** The auth context's tables (schema `auth`). */
export const AUTH_ENTITIES = [UserEntity, RefreshTokenEntity, LoginAttemptEntity, RecoveryCodeEntity, PasswordResetTokenEntity];
