import { ApiHeader, ApiResponseOptions } from '@nestjs/swagger';

export const PET_NOT_FOUND = 'Pet not found.';
export const PET_SERVICE_DOWN = 'pet-service (or photo-service behind it) is unreachable; nothing was changed.';

/** The ETag of an answer that shows one pet. */
export const PET_ENTITY_TAG: ApiResponseOptions['headers'] = {
  ETag: {
    description: 'The version of the pet this answer shows. Send it back as If-Match to change the pet only if no one has changed it since.',
    schema: { type: 'string', example: '"3"' },
  },
};

/** The optional If-Match of a pet's update or deletion. */
export function ApiPetIfMatch(): MethodDecorator {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The ETag the pet was read at (or several, or `*` for any): the write is made only if the pet is still at one of them, ' +
      'else 412 and nothing changes. A client that sends its update again after a timeout gets 412 instead of overwriting ' +
      'a change made in between; a deletion does not remove a pet changed since it was read. Without it the write is made ' +
      'whatever the version.',
    schema: { type: 'string', example: '"3"' },
  });
}

export const PET_CHANGED_SINCE_READ =
  'If-Match names a version the pet is no longer at: it changed since it was read (the message gives its current ETag). Nothing was changed; read it again.';
