import { LogOut } from 'lucide-react';
import { useNavigate } from 'react-router-dom';
import { Button, Card, CardBody, CardHeader, ErrorMessage } from '@/components/ui';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/auth';
import { useMutation } from '@/lib/query';
import { signOutEverywhere } from '../api/sign-out-everywhere';

/** Sign out everywhere: every browser and app signed in to this account, this one too. */
export function SessionsCard() {
  const { logout } = useSession();
  const navigate = useNavigate();
  const submit = useMutation(signOutEverywhere);
  return (
    <Card>
      <CardHeader title="Sessions" description="Lost a device or signed in somewhere public? End every session of this account, this one included." />
      <CardBody className="space-y-3">
        <ErrorMessage error={submit.error} />
        <Button
          variant="danger"
          loading={submit.isPending}
          icon={<LogOut className="size-4" aria-hidden="true" />}
          onClick={async () => {
            try {
              await submit.mutate(undefined);
            } catch {
              return;
            }
            await logout().catch(() => undefined);
            void navigate(paths.login(), { replace: true });
          }}
        >
          Sign out everywhere
        </Button>
      </CardBody>
    </Card>
  );
}
