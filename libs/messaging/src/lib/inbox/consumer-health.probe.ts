import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { type HealthProbe, ImpairedState } from '@petstore/platform';
import { ConsumerStatus } from './consumer-status';

/**
 * The consumer is up once it has joined its group, and stays up while the group rebalances (a
 * member joining or leaving is routine, and pulling every instance out of service for it would
 * turn a deployment into an outage); while a partition waits out a transient failure it stays
 * up but `degraded`, naming the partition, the message and the error, since the service still
 * serves requests and the wait ends by itself. A partition held by a slow batch (`slow`) is
 * named too, without changing the state: the batch has not failed, and the other partitions flow.
 * Down while starting, crashed or stopped.
 */
@Injectable()
export class ConsumerHealthProbe implements HealthProbe {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly status: ConsumerStatus,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('consumer');
    const waiting = this.status.waitingPartitions;
    const details = { waiting, slow: this.status.slowPartitions, parkedSinceStart: this.status.parkedSinceStart };
    const { state } = this.status;
    if (state !== 'consuming' && state !== 'rebalancing') return indicator.down({ state, ...details });
    return indicator.up({ state: waiting.length > 0 ? ImpairedState.Degraded : state, ...details });
  }
}
