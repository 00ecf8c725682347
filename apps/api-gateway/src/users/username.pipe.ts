import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { USERNAME_PATTERN } from '@petstore/dto';

/** A username in a path: the contract's "400 Invalid username supplied" when it cannot be one. */
@Injectable()
export class UsernamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!USERNAME_PATTERN.test(value)) throw new BadRequestException('username must be 1 to 64 letters, digits, or . _ @ -');
    return value;
  }
}
