import { ArrowLeft, KeyRound, Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, CardBody, CardHeader, Dialog, ErrorMessage, PageHeader, Skeleton, Switch, cn, focusRing } from '@/components/ui';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { formatBytes, formatDateTime, timeAgo } from '@/lib/format';
import { useMutation } from '@/lib/query';
import { deleteConfig } from '../api/delete-config';
import type { CreatedDevice } from '../api/create-config';
import { useConfig } from '../api/get-config';
import { rekeyDevice } from '../api/rekey-config';
import { updateConfig } from '../api/update-config';
import { DeviceCreated } from './device-created';
import { DeviceSettings } from './device-settings';
import { DeviceStatus } from './device-status';
import { UsageChart } from './usage-chart';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-3 py-2.5 sm:grid-cols-[10rem_1fr]">
      <dt className="text-sm text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

function BackLink() {
  return (
    <Link to={paths.devices} className={cn('mb-4 inline-flex items-center gap-1 rounded text-sm text-slate-500 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100', focusRing)}>
      <ArrowLeft className="size-4" aria-hidden="true" />
      All devices
    </Link>
  );
}

export function DeviceDetail({ id }: { id: string }) {
  const config = useConfig(id);
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation(deleteConfig);
  const toggle = useMutation(updateConfig);
  const rekey = useMutation(rekeyDevice);
  const [rekeying, setRekeying] = useState(false);
  // The re-keyed device with its new private key: only in this component's state, shown once.
  const [rekeyed, setRekeyed] = useState<CreatedDevice | null>(null);
  const c = config.data;

  if (rekeyed) {
    return (
      <div className="mx-auto max-w-2xl">
        <BackLink />
        <PageHeader title={`New key for “${rekeyed.config.name}”`} description="The old configuration no longer works. Use this one." />
        <DeviceCreated device={rekeyed} />
      </div>
    );
  }

  if (config.error && !c) {
    const notFound = config.error instanceof ApiError && config.error.status === 404;
    return (
      <div>
        <BackLink />
        <ErrorMessage
          error={notFound ? new Error('This device does not exist or was revoked.') : config.error}
          onRetry={notFound ? undefined : config.refetch}
        />
      </div>
    );
  }

  return (
    <div>
      <BackLink />
      <PageHeader
        title={c ? c.name : 'Device'}
        description={c ? <DeviceStatus config={c} /> : <Skeleton className="h-5 w-20" />}
        actions={
          <>
            <Button variant="secondary" disabled={!c} onClick={() => setRekeying(true)} icon={<KeyRound className="size-4" aria-hidden="true" />}>
              Re-key
            </Button>
            <Button variant="danger" disabled={!c} onClick={() => setConfirming(true)} icon={<Trash2 className="size-4" aria-hidden="true" />}>
              Revoke
            </Button>
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Card>
          <CardHeader title="Details" />
          <CardBody className="py-1">
            {c ? (
              <dl className="divide-y divide-slate-100 dark:divide-slate-800">
                <Row term="Enabled">
                  <span className="flex items-center gap-3">
                    <Switch
                      checked={c.enabled}
                      disabled={toggle.isPending}
                      label={c.enabled ? 'Disable this device' : 'Enable this device'}
                      onChange={async (enabled) => {
                        try {
                          const next = await toggle.mutate({ id, patch: { enabled } });
                          config.setData(() => next);
                        } catch {
                          // shown beside the switch
                        }
                      }}
                    />
                    <span className="text-slate-500 dark:text-slate-400">{c.enabled ? 'On the server' : 'Off: its configuration does not connect'}</span>
                  </span>
                  <ErrorMessage error={toggle.error} />
                </Row>
                <Row term="Server">{c.serverName}</Row>
                <Row term="Address">
                  <span className="font-mono">{c.address}</span>
                </Row>
                <Row term="Last handshake">
                  <span data-testid="handshake" title={formatDateTime(c.lastHandshakeAt)}>
                    {timeAgo(c.lastHandshakeAt)}
                  </span>
                </Row>
                <Row term="Received">{formatBytes(c.rxBytes)}</Row>
                <Row term="Sent">{formatBytes(c.txBytes)}</Row>
                <Row term="Created">{formatDateTime(c.createdAt)}</Row>
                <Row term="Public key">
                  <span className="font-mono text-xs">{c.publicKey}</span>
                </Row>
              </dl>
            ) : (
              <div className="space-y-[21px] py-3" aria-label="Loading" role="status">
                {Array.from({ length: 7 }, (_, i) => (
                  <Skeleton key={i} className="h-5" />
                ))}
              </div>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Usage" />
          <CardBody>
            <UsageChart configId={id} />
          </CardBody>
        </Card>
        {c ? (
          <Card>
            <CardHeader title="Settings" />
            <CardBody>
              <DeviceSettings key={`${c.id}:${c.name}`} config={c} onSaved={(next) => config.setData(() => next)} />
            </CardBody>
          </Card>
        ) : null}
      </div>
      <Dialog
        open={rekeying}
        onClose={() => {
          if (!rekey.isPending) setRekeying(false);
        }}
        title={`Re-key “${c?.name ?? 'device'}”?`}
        description="A new key is made in this browser and the device keeps its name and address. Its current configuration stops working at once; you get a new one to download."
        footer={
          <>
            <Button variant="secondary" onClick={() => setRekeying(false)} disabled={rekey.isPending}>
              Cancel
            </Button>
            <Button
              loading={rekey.isPending}
              onClick={async () => {
                try {
                  setRekeyed(await rekey.mutate(id));
                  setRekeying(false);
                } catch {
                  // shown in the dialog
                }
              }}
            >
              Re-key device
            </Button>
          </>
        }
      >
        <ErrorMessage error={rekey.error} />
      </Dialog>
      <Dialog
        open={confirming}
        onClose={() => {
          if (!revoke.isPending) setConfirming(false);
        }}
        title={`Revoke “${c?.name ?? 'device'}”?`}
        description="The device is removed from the server right away and its configuration stops working. This cannot be undone; you can add a new device later."
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={revoke.isPending}>
              Cancel
            </Button>
            <Button
              variant="danger"
              loading={revoke.isPending}
              onClick={async () => {
                try {
                  await revoke.mutate(id);
                  setConfirming(false);
                  void navigate(paths.devices, { replace: true });
                } catch {
                  // shown in the dialog
                }
              }}
            >
              Revoke device
            </Button>
          </>
        }
      >
        <ErrorMessage error={revoke.error} />
      </Dialog>
    </div>
  );
}
