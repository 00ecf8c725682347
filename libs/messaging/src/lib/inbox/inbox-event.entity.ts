import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An event this service has applied; its id is the dedupe key for redeliveries. */
@Entity({ name: 'inbox_event' })
export class InboxEvent {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column()
  topic!: string;

  @Column({ name: 'event_type' })
  eventType!: string;

  @Column({ name: 'aggregate_id' })
  aggregateId!: string;

  @Column({ name: 'aggregate_version', type: 'int' })
  aggregateVersion!: number;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}

/** The newest version of each aggregate this service has applied; older ones are stale. */
@Entity({ name: 'inbox_aggregate_version' })
export class InboxAggregateVersion {
  @PrimaryColumn()
  topic!: string;

  @PrimaryColumn({ name: 'aggregate_id' })
  aggregateId!: string;

  @Column({ type: 'int' })
  version!: number;
}
