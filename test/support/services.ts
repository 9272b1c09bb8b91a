/**
 * Service definitions for integration tests that start several contexts together (test code is
 * outside every project, so it may combine them; production code talks over the bus only).
 */
export { authService, createAuthService, generatedKeyPath, adminPasswordPath } from '@vpn/service-auth';
export { billingLimitsService } from '@vpn/service-billing-limits';
export { gatewayService } from '@vpn/gateway';
