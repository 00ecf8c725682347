export const PET_NOT_FOUND = 'Pet not found.';
export const PET_SERVICE_DOWN = 'pet-service (or photo-service behind it) is unreachable; nothing was changed.';

/** The path parameter every operation on one pet takes, as the contract describes it. */
export const PET_ID = { name: 'petId', schema: { type: 'integer', format: 'int64', minimum: 1 } } as const;
