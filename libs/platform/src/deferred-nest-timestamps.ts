// An entry point each app's main.ts imports first, before anything loads @nestjs/common (its
// tracing's configuration does, through @nestjs/config): see loadNestCommonWithDeferredTimestamps.
import { loadNestCommonWithDeferredTimestamps } from './lib/deferred-nest-timestamps';

loadNestCommonWithDeferredTimestamps();
