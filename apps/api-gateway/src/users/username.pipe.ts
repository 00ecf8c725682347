import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { normalizedUsername, usernameProblem } from '@petstore/dto';

/** A username in a path, normalized as stored: the contract's "400 Invalid username supplied" when it cannot be one. */
@Injectable()
export class UsernamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const name = normalizedUsername(value) as string;
    const problem = usernameProblem(name);
    if (problem) throw new BadRequestException(problem);
    return name;
  }
}
