import type { ServerView } from '@vpn/contracts';
import { KeyRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button, Card, CardBody, CardHeader, CopyButton, ErrorMessage, Input, Skeleton } from '@/components/ui';
import { useMutation } from '@/lib/query';
import { createServer, type CreateServerInput } from '../api/create-server';
import { useSshKey } from '../api/get-ssh-key';

const EMPTY = { name: '', location: '', host: '', sshPort: '22', sshUser: 'root', sshHostKey: '', endpoint: '', interface: 'wg0', addressPool: '', dns: '' };
type Fields = typeof EMPTY;

function toInput(f: Fields): CreateServerInput {
  const dns = f.dns.split(/[\s,]+/).filter(Boolean);
  return {
    name: f.name.trim(),
    host: f.host.trim(),
    endpoint: f.endpoint.trim(),
    addressPool: f.addressPool.trim(),
    ...(f.location.trim() ? { location: f.location.trim() } : {}),
    ...(f.sshPort.trim() ? { sshPort: Number(f.sshPort) } : {}),
    ...(f.sshUser.trim() ? { sshUser: f.sshUser.trim() } : {}),
    ...(f.sshHostKey.trim() ? { sshHostKey: f.sshHostKey.trim() } : {}),
    ...(f.interface.trim() ? { interface: f.interface.trim() } : {}),
    ...(dns.length ? { dns } : {}),
  };
}

function SshKeyPanel() {
  const key = useSshKey();
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-4 dark:border-slate-800 dark:bg-slate-950/50">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="inline-flex items-center gap-2 text-sm font-medium">
          <KeyRound className="size-4" aria-hidden="true" />
          Provisioner SSH public key
        </p>
        {key.data ? <CopyButton text={key.data.publicKey} label="Copy key" /> : null}
      </div>
      <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">
        Add this line to <code className="font-mono">~/.ssh/authorized_keys</code> of the SSH user on the server before adding it.
      </p>
      {key.isLoading && !key.data ? (
        <Skeleton className="h-10" />
      ) : key.error ? (
        <ErrorMessage error={key.error} onRetry={key.refetch} />
      ) : (
        <code data-testid="ssh-public-key" className="block min-h-10 rounded bg-white px-3 py-2 font-mono text-xs break-all select-all dark:bg-slate-900">
          {key.data?.publicKey}
        </code>
      )}
    </div>
  );
}

export function AddServerForm({ onCreated, onCancel }: { onCreated: (s: ServerView) => void; onCancel: () => void }) {
  const [f, setF] = useState<Fields>(EMPTY);
  const create = useMutation(createServer);
  const bind = (k: keyof Fields) => ({ name: k, value: f[k], onChange: (e: { target: { value: string } }) => setF((p) => ({ ...p, [k]: e.target.value })) });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onCreated(await create.mutate(toInput(f)));
      setF(EMPTY);
    } catch {
      // shown below
    }
  };

  return (
    <Card>
      <CardHeader title="Add a server" description="The server is checked over SSH: its WireGuard public key and listen port are read from the interface." />
      <CardBody className="space-y-5">
        <SshKeyPanel />
        <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
          <Input label="Name" required maxLength={64} placeholder="Frankfurt 1" {...bind('name')} />
          <Input label="Location" maxLength={64} placeholder="Frankfurt, DE" {...bind('location')} />
          <Input label="SSH host" required placeholder="203.0.113.10" {...bind('host')} />
          <div className="grid grid-cols-2 gap-4">
            <Input label="SSH port" type="number" min={1} max={65535} inputMode="numeric" {...bind('sshPort')} />
            <Input label="SSH user" maxLength={32} {...bind('sshUser')} />
          </div>
          <Input label="Endpoint" required placeholder="vpn.example.com:51820" hint="What clients connect to, host:port." {...bind('endpoint')} />
          <Input label="Interface" maxLength={15} {...bind('interface')} />
          <Input label="Address pool" required placeholder="10.8.0.0/24" hint="The first host is the server; clients get the rest." {...bind('addressPool')} />
          <Input label="DNS servers" placeholder="1.1.1.1, 9.9.9.9" hint="Optional, up to 4, comma separated." {...bind('dns')} />
          <Input
            className="sm:col-span-2"
            label="SSH host key"
            placeholder="ssh-ed25519 AAAA… or SHA256:…"
            hint="Optional. Without it, the key the server presents now is pinned."
            {...bind('sshHostKey')}
          />
          <ErrorMessage className="sm:col-span-2" error={create.error} />
          <div className="flex flex-wrap justify-end gap-2 sm:col-span-2">
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add server
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
