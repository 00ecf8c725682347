import { Injectable } from '@nestjs/common';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';

/** What order-service asks user-service, which owns users. */
@Injectable()
export class UserDirectory {
  constructor(@InjectServiceClient('user-service') private readonly userService: ServiceClient) {}

  /** Which of these user ids (at most MAX_VERSIONS_PAGE) still belong to a user: ids are never given again, so one left out is deleted. */
  existing(userIds: number[]): Promise<number[]> {
    return this.userService.json<number[]>({ method: 'POST', path: '/users/existing', json: { userIds } });
  }
}
