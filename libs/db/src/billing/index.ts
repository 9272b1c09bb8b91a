import { AccountEntity } from './account.entity';
import { DeviceSlotEntity } from './device-slot.entity';
import { PlanEntity } from './plan.entity';
import { SubscriptionEntity } from './subscription.entity';
import { UsageBatchEntity } from './usage-batch.entity';
import { UsagePeriodEntity } from './usage-period.entity';

export { AccountEntity, DeviceSlotEntity, PlanEntity, SubscriptionEntity, UsageBatchEntity, UsagePeriodEntity };
export type { DeviceSlotStatus } from './device-slot.entity';
export type { PlanResetStrategy } from './plan.entity';
export type { SubscriptionStatusValue } from './subscription.entity';
export const BILLING_ENTITIES = [PlanEntity, AccountEntity, DeviceSlotEntity, SubscriptionEntity, UsagePeriodEntity, UsageBatchEntity];
