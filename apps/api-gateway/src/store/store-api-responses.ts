export const ORDER_ID = { name: 'orderId', schema: { type: 'integer', format: 'int64', minimum: 1 } } as const;
export const ORDER_NOT_FOUND =
  "Order not found: no such order, a cancelled one, one still being confirmed, or (for a customer) somebody else's order. " +
  "Another customer's order answers 404, not 403, so order ids reveal nothing.";
export const ORDER_SERVICE_DOWN = 'order-service is unreachable; nothing was changed.';
