import { LoginAttemptEntity } from './login-attempt.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { UserEntity } from './user.entity';

export { LoginAttemptEntity, RefreshTokenEntity, UserEntity };
export type { UserRole } from './user.entity';

/** The auth context's tables (schema `auth`). */
export const AUTH_ENTITIES = [UserEntity, RefreshTokenEntity, LoginAttemptEntity];
