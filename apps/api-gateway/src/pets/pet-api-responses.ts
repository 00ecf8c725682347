export const PET_NOT_FOUND = 'Pet not found.';
export const PET_SERVICE_DOWN = 'pet-service (or photo-service behind it) is unreachable; nothing was changed.';
