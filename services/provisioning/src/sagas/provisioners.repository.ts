import { Inject, Injectable } from '@nestjs/common';
import { DataSource, PreparedStatement, ProvisionerEntity } from '@vpn/db';

/** Heartbeats of provisioner processes (vpn.provisioners). */
@Injectable()
export class ProvisionersRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Beats for `id` and answers every provisioner that beat within `staleAfterMs` (itself included). */
  async beat(id: string, staleAfterMs: number): Promise<string[]> {
    return (await BEAT.rows(this.ds, [id, staleAfterMs])).map((r) => r.id);
  }

  /** Gone on purpose: whatever is still its may be taken over at once. */
  async leave(id: string): Promise<void> {
    await this.ds.manager.delete(ProvisionerEntity, { id });
  }
}

const BEAT = new PreparedStatement<{ id: string }>('vpn_provisioner_beat', `
  WITH beat AS (
    INSERT INTO vpn.provisioners (id, heartbeat_at) VALUES ($1, now())
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = now() RETURNING id)
  SELECT id FROM beat
  UNION SELECT id FROM vpn.provisioners WHERE heartbeat_at >= now() - ($2::int * interval '1 millisecond')`);
