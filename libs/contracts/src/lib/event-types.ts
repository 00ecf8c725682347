export enum PetEventType {
  PetCreated = 'PET_CREATED',
  PetUpdated = 'PET_UPDATED',
  PetDeleted = 'PET_DELETED',
  PetReserved = 'PET_RESERVED',
  PetReservationReleased = 'PET_RESERVATION_RELEASED',
  PetSold = 'PET_SOLD',
}

export enum OrderEventType {
  OrderPlaced = 'ORDER_PLACED',
  OrderApproved = 'ORDER_APPROVED',
  OrderDelivered = 'ORDER_DELIVERED',
  OrderCancelled = 'ORDER_CANCELLED',
  OrderRejected = 'ORDER_REJECTED',
}

export type EventType = PetEventType | OrderEventType;
