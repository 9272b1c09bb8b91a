import type { ConfigView, MeView } from '@vpn/contracts';
import { ArrowDown, ArrowUp, ChevronRight, Laptop, Plus } from 'lucide-react';
import { Link } from 'react-router-dom';
import { buttonClasses, Card, EmptyState, ErrorMessage, PageHeader, Skeleton, SkeletonRows, cn, focusRing } from '@/components/ui';
import { paths } from '@/config/paths';
import { formatBytes, timeAgo } from '@/lib/format';
import { useConfigs } from '../api/get-configs';
import { useMe } from '../api/get-me';
import { DeviceStatus } from './device-status';
import { DeviceUsageSparkline } from './device-usage-sparkline';

export function PlanUsage({ me, isLoading }: { me: MeView | undefined; isLoading: boolean }) {
  if (isLoading && !me) return <Skeleton className="inline-block h-5 w-40 align-middle" />;
  if (!me) return null;
  const full = me.devicesUsed >= me.plan.maxDevices;
  return (
    <span data-testid="plan-usage">
      <span className={cn('font-medium', full ? 'text-amber-700 dark:text-amber-400' : 'text-slate-700 dark:text-slate-300')}>
        {me.devicesUsed} of {me.plan.maxDevices} devices
      </span>{' '}
      on the {me.plan.name} plan
    </span>
  );
}

function DeviceRow({ config }: { config: ConfigView }) {
  return (
    <li>
      <Link
        to={paths.device(config.id)}
        className={cn('group flex items-center gap-4 px-4 py-3 hover:bg-slate-50 sm:px-5 dark:hover:bg-slate-800/50', focusRing, 'focus-visible:-outline-offset-2')}
        aria-label={`${config.name} on ${config.serverName}`}
      >
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="truncate font-medium">{config.name}</span>
            <DeviceStatus config={config} />
          </div>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-500 dark:text-slate-400">
            <span>{config.serverName}</span>
            <span className="font-mono text-xs leading-5">{config.address}</span>
            <span data-testid="handshake">Handshake {timeAgo(config.lastHandshakeAt)}</span>
            <span className="inline-flex items-center gap-2">
              <span className="inline-flex items-center gap-0.5" title="Received">
                <ArrowDown className="size-3.5" aria-label="received" />
                {formatBytes(config.rxBytes)}
              </span>
              <span className="inline-flex items-center gap-0.5" title="Sent">
                <ArrowUp className="size-3.5" aria-label="sent" />
                {formatBytes(config.txBytes)}
              </span>
            </span>
          </div>
        </div>
        <div className="hidden shrink-0 sm:block">
          <DeviceUsageSparkline configId={config.id} />
        </div>
        <ChevronRight className="size-4 shrink-0 text-slate-400 group-hover:text-slate-600" aria-hidden="true" />
      </Link>
    </li>
  );
}

export function DevicesList() {
  const configs = useConfigs();
  const me = useMe();
  const addButton = (
    <Link to={paths.addDevice} className={buttonClasses('primary', 'md')}>
      <Plus className="size-4" aria-hidden="true" />
      Add device
    </Link>
  );

  return (
    <div>
      <PageHeader title="Devices" description={<PlanUsage me={me.data} isLoading={me.isLoading} />} actions={addButton} />
      {me.error ? <ErrorMessage className="mb-4" error={me.error} onRetry={me.refetch} /> : null}
      {configs.isLoading && !configs.data ? (
        <SkeletonRows rows={3} rowClassName="h-[76px]" />
      ) : configs.error && !configs.data ? (
        <ErrorMessage error={configs.error} onRetry={configs.refetch} title="Could not load your devices" />
      ) : configs.data && configs.data.length === 0 ? (
        <EmptyState
          icon={<Laptop className="size-10" aria-hidden="true" />}
          title="No devices yet"
          description="Add a device to get a WireGuard configuration for your laptop or phone. The key is made in this browser and never leaves it."
          action={addButton}
        />
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Your devices">
            {configs.data?.map((c) => <DeviceRow key={c.id} config={c} />)}
          </ul>
        </Card>
      )}
    </div>
  );
}
