import { LogIn } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Input, Notice } from '@/components/ui';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/auth';
import { useMutation } from '@/lib/query';

const linkClasses = 'font-medium text-teal-700 underline-offset-4 hover:underline dark:text-teal-400';

/** Email and password; when the account has TOTP on (401 TOTP_REQUIRED), a second step asks for the code. */
export function LoginForm({ onSuccess, expired }: { onSuccess: () => void; expired?: boolean }) {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const submit = useMutation((a: { email: string; password: string; totp?: string }) => login(a.email, a.password, a.totp));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await submit.mutate({ email: email.trim(), password, ...(needsTotp ? { totp: totp.trim() } : {}) });
      onSuccess();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
        setNeedsTotp(true);
        submit.reset();
      }
    }
  };

  const error = submit.error instanceof ApiError && submit.error.code === 'INVALID_TOTP'
    ? new Error('That code does not match or was used already. Enter the newest code from your app, or a recovery code.')
    : submit.error;

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      {expired ? <Notice>Your session ended. Sign in again to continue.</Notice> : null}
      <Input label="Email" type="email" name="email" autoComplete="email" required readOnly={needsTotp} value={email} onChange={(e) => setEmail(e.target.value)} />
      <Input
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        readOnly={needsTotp}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {needsTotp ? (
        <Input
          label="Code from your authenticator app"
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          required
          hint="Lost your phone? Enter one of your recovery codes."
          value={totp}
          onChange={(e) => setTotp(e.target.value)}
        />
      ) : null}
      <ErrorMessage error={error} />
      <Button type="submit" className="w-full" loading={submit.isPending} icon={<LogIn className="size-4" aria-hidden="true" />}>
        {needsTotp ? 'Verify and sign in' : 'Sign in'}
      </Button>
      <p className="text-center text-sm text-slate-500 dark:text-slate-400">
        <Link to={paths.forgotPassword} className={linkClasses}>
          Forgot your password?
        </Link>
      </p>
      <p className="text-center text-sm text-slate-500 dark:text-slate-400">
        No account yet?{' '}
        <Link to={paths.register} className={linkClasses}>
          Create one
        </Link>
      </p>
    </form>
  );
}
