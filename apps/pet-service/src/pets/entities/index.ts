import { CategoryEntity } from './category.entity';
import { PetTagEntity } from './pet-tag.entity';
import { PetTombstoneEntity } from './pet-tombstone.entity';
import { PetEntity } from './pet.entity';
import { TagEntity } from './tag.entity';

export { CategoryEntity, PetEntity, PetTagEntity, PetTombstoneEntity, TagEntity };

export const PET_ENTITIES = [PetEntity, CategoryEntity, TagEntity, PetTagEntity, PetTombstoneEntity];
