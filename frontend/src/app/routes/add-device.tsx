import { useState } from 'react';
import { PageHeader } from '@/components/ui';
import type { CreatedDevice } from '@/features/devices/api/create-config';
import { AddDeviceForm } from '@/features/devices/components/add-device-form';
import { DeviceCreated } from '@/features/devices/components/device-created';

export function AddDeviceRoute() {
  // The created device (with its private key) lives only in this component's state.
  const [created, setCreated] = useState<CreatedDevice | null>(null);
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title={created ? 'Your new device' : 'Add a device'} />
      {created ? <DeviceCreated device={created} /> : <AddDeviceForm onCreated={setCreated} />}
    </div>
  );
}
