import type { ServerView, SyncReport } from '@vpn/contracts';
import { Plus, RefreshCw, Server } from 'lucide-react';
import { useState } from 'react';
import { Badge, Button, Card, EmptyState, ErrorMessage, PageHeader, SkeletonRows, Switch } from '@/components/ui';
import { timeAgo, formatDateTime } from '@/lib/format';
import { useMutation } from '@/lib/query';
import { useAdminServers } from '../api/get-servers';
import { syncServer } from '../api/sync-server';
import { updateServer } from '../api/update-server';
import { AddServerForm } from './add-server-form';

function SyncReportLine({ report }: { report: SyncReport }) {
  return (
    <p data-testid="sync-report" role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
      Synced in {report.durationMs} ms: {report.added} added, {report.removed} removed, {report.updated} updated, {report.unchanged} unchanged
    </p>
  );
}

function ServerRow({ server, onChanged, onSynced }: { server: ServerView; onChanged: (s: ServerView) => void; onSynced: () => void }) {
  const toggle = useMutation(updateServer);
  const sync = useMutation(syncServer);
  const [report, setReport] = useState<SyncReport | null>(null);
  return (
    <li className="px-4 py-4 sm:px-5" data-testid="server-row" aria-label={server.name}>
      <div className="flex flex-wrap items-start gap-x-6 gap-y-3">
        <div className="min-w-48 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{server.name}</span>
            {server.reachable ? <Badge tone="success" dot>Reachable</Badge> : <Badge tone="danger" dot>Unreachable</Badge>}
            {server.maintenance ? <Badge tone="warning">Maintenance</Badge> : null}
          </div>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            {server.location || 'No location'} · <span className="font-mono text-xs">{server.endpoint}</span> · <span className="font-mono text-xs">{server.addressPool}</span>
          </p>
        </div>
        <dl className="flex gap-6 text-sm">
          <div>
            <dt className="text-xs text-slate-500 dark:text-slate-400">Peers</dt>
            <dd className="font-medium tabular-nums" data-testid="peer-count">{server.peerCount}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500 dark:text-slate-400">Last sync</dt>
            <dd className="font-medium" title={formatDateTime(server.lastSyncAt)}>{timeAgo(server.lastSyncAt)}</dd>
          </div>
        </dl>
        <div className="flex items-center gap-4">
          <label className="inline-flex items-center gap-2 text-sm">
            <Switch
              checked={server.maintenance}
              disabled={toggle.isPending}
              label={`Maintenance for ${server.name}`}
              onChange={async (maintenance) => {
                try {
                  onChanged(await toggle.mutate({ id: server.id, maintenance }));
                } catch {
                  // shown below
                }
              }}
            />
            Maintenance
          </label>
          <Button
            size="sm"
            variant="secondary"
            loading={sync.isPending}
            icon={<RefreshCw className="size-3.5" aria-hidden="true" />}
            onClick={async () => {
              setReport(null);
              try {
                setReport(await sync.mutate(server.id));
                onSynced();
              } catch {
                // shown below
              }
            }}
          >
            Sync now
          </Button>
        </div>
      </div>
      {report || toggle.error || sync.error ? (
        <div className="mt-2 space-y-2">
          {report ? <SyncReportLine report={report} /> : null}
          <ErrorMessage error={toggle.error ?? sync.error} />
        </div>
      ) : null}
    </li>
  );
}

export function ServersAdmin() {
  const servers = useAdminServers();
  const [adding, setAdding] = useState(false);
  return (
    <div>
      <PageHeader
        title="Servers"
        description="WireGuard servers the control plane manages over SSH."
        actions={
          adding ? null : (
            <Button onClick={() => setAdding(true)} icon={<Plus className="size-4" aria-hidden="true" />}>
              Add server
            </Button>
          )
        }
      />
      {adding ? (
        <div className="mb-6">
          <AddServerForm
            onCancel={() => setAdding(false)}
            onCreated={(s) => {
              setAdding(false);
              servers.setData((prev) => [...(prev ?? []).filter((p) => p.id !== s.id), s]);
              servers.refetch();
            }}
          />
        </div>
      ) : null}
      {servers.isLoading && !servers.data ? (
        <SkeletonRows rows={2} rowClassName="h-[92px]" />
      ) : servers.error && !servers.data ? (
        <ErrorMessage error={servers.error} onRetry={servers.refetch} title="Could not load servers" />
      ) : servers.data && servers.data.length === 0 ? (
        adding ? null : (
          <EmptyState
            icon={<Server className="size-10" aria-hidden="true" />}
            title="No servers yet"
            description="Add your first WireGuard server: authorize the provisioner’s SSH key on it, then enter its address and pool."
            action={<Button onClick={() => setAdding(true)}>Add server</Button>}
          />
        )
      ) : (
        <Card>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Servers">
            {servers.data?.map((s) => (
              <ServerRow key={s.id} server={s} onSynced={servers.refetch} onChanged={(n) => servers.setData((prev) => prev?.map((p) => (p.id === n.id ? n : p)))} />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
