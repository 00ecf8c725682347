import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { MAX_ID } from '@petstore/contracts';

/** A path id: a positive integer up to MAX_ID, else 400 naming the parameter and the value. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= MAX_ID)) {
      throw new BadRequestException(`${metadata.data ?? 'id'} must be a positive integer up to ${MAX_ID}, got '${value}'`);
    }
    return id;
  }
}
