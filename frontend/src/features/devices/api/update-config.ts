import type { ConfigView, DeviceOptions } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export interface ConfigPatch extends DeviceOptions {
  name?: string;
  /** false takes the device off its server before the answer; true puts it back. */
  enabled?: boolean;
}

/** PATCH /api/configs/:id → the config as it is now. */
export const updateConfig = ({ id, patch }: { id: string; patch: ConfigPatch }) =>
  api.patch<ConfigView>(`/api/configs/${encodeURIComponent(id)}`, patch);
