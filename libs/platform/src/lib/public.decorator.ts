import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route that needs no login, in an app whose guard requires one by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
