import type { PublicServerView } from '@vpn/contracts';
import { KeyRound, Server, Wrench } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, buttonClasses, Card, CardBody, cn, EmptyState, ErrorMessage, Input, Notice, SkeletonRows } from '@/components/ui';
import { paths } from '@/config/paths';
import { useMutation } from '@/lib/query';
import { createDevice, type CreatedDevice } from '../api/create-config';
import { useMe } from '../api/get-me';
import { useServers } from '../api/get-servers';
import { PlanUsage } from './devices-list';

const NAME_RE = /^[A-Za-z0-9 ._-]{1,64}$/;

function ServerOption({ server, checked, onSelect }: { server: PublicServerView; checked: boolean; onSelect: () => void }) {
  const disabled = server.maintenance;
  const reasonId = `server-${server.id}-reason`;
  return (
    <label
      className={cn(
        'flex min-h-16 items-center gap-3 rounded-lg border px-4 py-3 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-teal-500',
        disabled
          ? 'cursor-not-allowed border-slate-200 bg-slate-50 opacity-70 dark:border-slate-800 dark:bg-slate-900/50'
          : checked
            ? 'cursor-pointer border-teal-500 bg-teal-50/60 ring-1 ring-teal-500 dark:bg-teal-950/30'
            : 'cursor-pointer border-slate-300 hover:border-slate-400 dark:border-slate-700 dark:hover:border-slate-600',
      )}
    >
      <input
        type="radio"
        name="server"
        value={server.id}
        checked={checked}
        disabled={disabled}
        onChange={onSelect}
        aria-describedby={disabled ? reasonId : undefined}
        className="size-4 accent-teal-600"
      />
      <Server className="size-5 shrink-0 text-slate-400" aria-hidden="true" />
      <span className="min-w-0 flex-1">
        <span className="block font-medium">{server.name}</span>
        <span className="block text-sm text-slate-500 dark:text-slate-400">{server.location || 'No location'}</span>
        {disabled ? (
          <span id={reasonId} className="mt-1 flex items-center gap-1 text-xs font-medium text-amber-700 dark:text-amber-400">
            <Wrench className="size-3.5 shrink-0" aria-hidden="true" />
            Under maintenance — not available for new devices
          </span>
        ) : null}
      </span>
    </label>
  );
}

export function AddDeviceForm({ onCreated }: { onCreated: (d: CreatedDevice) => void }) {
  const servers = useServers();
  const me = useMe();
  const [serverId, setServerId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation(createDevice);
  const atLimit = me.data ? me.data.devicesUsed >= me.data.plan.maxDevices : false;
  const available = servers.data?.filter((s) => !s.maintenance) ?? [];
  const selected = serverId ?? (available.length === 1 ? available[0].id : null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!NAME_RE.test(trimmed)) {
      setNameError('Use 1–64 letters, digits, spaces, dots, underscores or dashes.');
      return;
    }
    setNameError(null);
    if (!selected) return;
    try {
      onCreated(await create.mutate({ serverId: selected, name: trimmed }));
    } catch {
      me.refetch();
      servers.refetch();
    }
  };

  return (
    <Card>
      <CardBody>
        <p className="mb-5 text-sm text-slate-500 dark:text-slate-400">
          <PlanUsage me={me.data} isLoading={me.isLoading} />
        </p>
        {atLimit && me.data ? (
          <Notice tone="warning" className="mb-5">
            <span data-testid="plan-limit">
              You are using all {me.data.plan.maxDevices} devices of the {me.data.plan.name} plan. Revoke a device you no longer use to add a new one.
            </span>
          </Notice>
        ) : null}
        <form onSubmit={onSubmit} className="space-y-6">
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-300">Server</legend>
            {servers.isLoading && !servers.data ? (
              <SkeletonRows rows={2} rowClassName="h-16" />
            ) : servers.error && !servers.data ? (
              <ErrorMessage error={servers.error} onRetry={servers.refetch} title="Could not load servers" />
            ) : servers.data && servers.data.length === 0 ? (
              <EmptyState title="No servers yet" description="An administrator has to add a WireGuard server before devices can be created. Check back soon." />
            ) : (
              <div className="grid gap-2">
                {servers.data?.map((s) => <ServerOption key={s.id} server={s} checked={selected === s.id} onSelect={() => setServerId(s.id)} />)}
              </div>
            )}
          </fieldset>
          <Input
            label="Device name"
            name="name"
            placeholder="e.g. Laptop or Alex's phone"
            maxLength={64}
            autoComplete="off"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={nameError}
            hint="Only you see this name."
          />
          <Notice>
            <span className="inline-flex items-start gap-2">
              <KeyRound className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
              The key pair is made in this browser. Only the public key is sent; the private key is shown once, in the file you download next.
            </span>
          </Notice>
          <ErrorMessage error={create.error} />
          <div className="flex flex-wrap justify-end gap-2">
            <Link to={paths.devices} className={buttonClasses('secondary')}>
              Cancel
            </Link>
            <Button type="submit" loading={create.isPending} disabled={!selected || atLimit}>
              Create device
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
