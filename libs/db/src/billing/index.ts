import { AccountEntity } from './account.entity';
import { DeviceSlotEntity } from './device-slot.entity';
import { PlanEntity } from './plan.entity';

export { AccountEntity, DeviceSlotEntity, PlanEntity };
export type { DeviceSlotStatus } from './device-slot.entity';
export const BILLING_ENTITIES = [PlanEntity, AccountEntity, DeviceSlotEntity];
