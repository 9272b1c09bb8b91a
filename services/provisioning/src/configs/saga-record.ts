export type SagaKind = 'create' | 'revoke';
export type SagaState = 'PENDING' | 'DONE' | 'FAILED';

export interface SagaRow {
  id: string;
  kind: SagaKind;
  state: SagaState;
  user_id: string;
  server_id: string;
  config_id: string;
  idempotency_key: string | null;
  request_hash: string | null;
  name: string | null;
  public_key: string;
  address: string;
  error_code: string | null;
  slot_committed: boolean;
  owner: string;
  attempts: number;
}
