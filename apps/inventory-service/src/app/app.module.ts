import { Module } from '@nestjs/common';
import { KafkaHealthProbe, kafkaEnvironment, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule } from '@petstore/messaging';
import {
  databaseEnvironment,
  DatabaseHealthProbe,
  DatabaseModule,
  dependencyEnvironment,
  HealthModule,
  ServiceClientModule,
  ServiceConfigModule,
} from '@petstore/platform';
import { InventoryOrder } from '../inventory/inventory-order.entity';
import { InventoryPet } from '../inventory/inventory-pet.entity';
import { InventoryModule } from '../inventory/inventory.module';
import { CreateInventory1764200000000 } from './migrations/1764200000000-create-inventory';
import { SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [databaseEnvironment(SERVICE), kafkaEnvironment, dependencyEnvironment()],
    }),
    DatabaseModule.forService(SERVICE, {
      entities: [...MESSAGING_ENTITIES, InventoryPet, InventoryOrder],
      migrations: [...MESSAGING_MIGRATIONS, CreateInventory1764200000000],
    }),
    MessagingModule.forService({ groupId: SERVICE, relay: false }),
    ServiceClientModule.register(),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
    InventoryModule,
  ],
})
export class AppModule {}
