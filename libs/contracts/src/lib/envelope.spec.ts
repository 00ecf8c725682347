import { buildEnvelope } from './build-envelope';
import { InvalidEventError, parseEventEnvelope } from './envelope';
import { OrderEventType, PetEventType } from './event-types';
import { OrderStatus, PetStatus } from './states';

const pet = { id: 7, name: 'Rex', status: PetStatus.Available, tags: [], photoUrls: [] };

describe('event envelopes', () => {
  it('round-trips an envelope built by a producer', () => {
    const envelope = buildEnvelope({
      type: PetEventType.PetCreated,
      aggregateId: 7,
      aggregateVersion: 1,
      correlationId: 'c-1',
      payload: pet,
    });
    const parsed = parseEventEnvelope(JSON.parse(JSON.stringify(envelope)));
    expect(parsed).toMatchObject({ type: 'PET_CREATED', aggregateId: '7', aggregateVersion: 1, schemaVersion: 1 });
    expect(parsed.payload).toMatchObject(pet);
  });

  it('gives every event its own id', () => {
    const event = { type: PetEventType.PetCreated, aggregateId: 7, aggregateVersion: 1, correlationId: 'c', payload: pet } as const;
    expect(buildEnvelope(event).eventId).not.toEqual(buildEnvelope(event).eventId);
  });

  it('names every problem of a malformed envelope and payload', () => {
    const broken = {
      ...buildEnvelope({ type: OrderEventType.OrderPlaced, aggregateId: 1, aggregateVersion: 1, correlationId: 'c', payload: {} as never }),
      eventId: 'not-a-uuid',
      aggregateVersion: 0,
      payload: { id: 1, petId: 'seven', userId: 2, quantity: 1, status: OrderStatus.Placed, complete: false },
    };
    expect(() => parseEventEnvelope(broken)).toThrow(InvalidEventError);
    try {
      parseEventEnvelope(broken);
    } catch (error) {
      const problems = (error as InvalidEventError).problems.join('\n');
      expect(problems).toMatch(/eventId must be a UUID/);
      expect(problems).toMatch(/aggregateVersion must not be less than 1/);
      expect(problems).toMatch(/payload\.petId must be an integer/);
    }
  });

  it('refuses an unknown event type and a value that is not an object', () => {
    expect(() =>
      parseEventEnvelope({
        ...buildEnvelope({ type: PetEventType.PetSold, aggregateId: 1, aggregateVersion: 2, correlationId: 'c', payload: pet }),
        type: 'PET_EATEN',
      }),
    ).toThrow(/type must be one of/);
    expect(() => parseEventEnvelope('{"no":')).toThrow(/not a JSON object/);
  });
});
