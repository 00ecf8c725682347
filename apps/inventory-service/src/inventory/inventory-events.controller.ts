import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { OrderEventType, PetEventType, Topics } from '@petstore/contracts';
import { ConsumedBatch, EventConsumer } from '@petstore/messaging';
import { InventoryService } from './inventory.service';

/** Feeds the read model from both topics, each event applied once through the inbox. */
@Controller()
export class InventoryEventsController {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly inventory: InventoryService,
  ) {}

  @EventPattern(Topics.PetEvents)
  async onPetEvent(@Ctx() batch: ConsumedBatch): Promise<void> {
    await this.consumer.consume(batch, {
      [PetEventType.PetCreated]: (event, manager) => this.inventory.applyPetEvent(event, manager),
      [PetEventType.PetUpdated]: (event, manager) => this.inventory.applyPetEvent(event, manager),
      [PetEventType.PetDeleted]: (event, manager) => this.inventory.applyPetEvent(event, manager),
      [PetEventType.PetReserved]: (event, manager) => this.inventory.applyPetEvent(event, manager),
      [PetEventType.PetReservationReleased]: (event, manager) => this.inventory.applyPetEvent(event, manager),
      [PetEventType.PetSold]: (event, manager) => this.inventory.applyPetEvent(event, manager),
    });
  }

  /**
   * ORDER_REJECTED is left out: no order ever existed for it, and the pet it names moves back
   * only when pet-service says so (PET_RESERVATION_RELEASED).
   */
  @EventPattern(Topics.OrderEvents)
  async onOrderEvent(@Ctx() batch: ConsumedBatch): Promise<void> {
    await this.consumer.consume(batch, {
      [OrderEventType.OrderPlaced]: (event, manager) => this.inventory.applyOrderEvent(event, manager),
      [OrderEventType.OrderApproved]: (event, manager) => this.inventory.applyOrderEvent(event, manager),
      [OrderEventType.OrderDelivered]: (event, manager) => this.inventory.applyOrderEvent(event, manager),
      [OrderEventType.OrderCancelled]: (event, manager) => this.inventory.applyOrderEvent(event, manager),
    });
  }
}
