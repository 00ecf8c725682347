import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, AuthConfig } from '../app/auth.config';
import { UsersService } from './users.service';

/** Makes sure the store owner named by STORE_OWNER_USERNAME exists before the service takes calls. */
@Injectable()
export class StoreOwnerSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.users.seedStoreOwner(this.config.storeOwnerUsername, this.config.storeOwnerPassword);
  }
}
