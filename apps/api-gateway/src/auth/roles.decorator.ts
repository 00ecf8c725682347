import { SetMetadata } from '@nestjs/common';
import { Role } from '@petstore/dto';

export const ROLES = 'roles';

/** Only callers holding one of these roles pass; everyone else authenticated gets 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
