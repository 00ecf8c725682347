import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, ListOrdersQuery, Order, pageParameters, PendingOrder, Role } from '@petstore/dto';
import {
  FORM_MEDIA_TYPE,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKey,
  InjectServiceClient,
  JSON_MEDIA_TYPE,
  ParseIdPipe,
  ServiceClient,
} from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { API_PREFIX } from '../app/service';
import { ConsumesBody } from '../consumes-body';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiLoggedIn,
  ApiStoreOwnerOnly,
  IDEMPOTENCY_KEY_IN_USE,
  IDEMPOTENCY_KEY_REUSED,
  INVALID_ID,
} from '../api-responses';
import { ORDER_ID, ORDER_NOT_FOUND, ORDER_SERVICE_DOWN } from './store-api-responses';
import { AnswersNothing, NegotiatesAnswers } from '../answer-media-types';

/**
 * order-service reserves with retries (up to 3 × 3 s) and then waits up to 10 s for the order;
 * this call must outlast both, or the gateway would answer 503 for an order that was placed.
 */
const PLACE_ORDER_TIMEOUT_MS = 25_000;

/** Petstore's order operations and the store owner's extensions, forwarded to order-service with the caller. */
@ApiTags('store')
@NegotiatesAnswers()
@Controller('store')
export class OrdersController {
  constructor(@InjectServiceClient('order-service') private readonly orderService: ServiceClient) {}

  @Post('order')
  @ApiOperation({
    operationId: 'placeOrder',
    summary: 'Place an order for a pet.',
    description:
      'Reserves the pet for a new order and answers with the placed order. The pet must be available: a pet that is ' +
      'pending or sold answers 409 and no order is created; when many clients order the same pet at once, exactly one ' +
      'gets it. quantity must be 1 to 100. id, status and complete are set by the store. If the reservation holds but ' +
      'the order is not confirmed within about 10 seconds (the event stream is slow), the answer is 202 with the order ' +
      'id and a Location to fetch it from; the order follows shortly. Sent again with the same `Idempotency-Key`, it ' +
      'answers the order the first request placed (waiting for it if it is still being placed) instead of placing ' +
      'another; if that order was rejected, it tries again. A user may have at most a set number of orders ' +
      "(10 by default) placed and awaiting the store's approval: past that the answer is 409 and nothing is reserved, " +
      'so one account cannot hold every pet in the store.',
  })
  @ApiIdempotencyKey()
  @ConsumesBody(JSON_MEDIA_TYPE, FORM_MEDIA_TYPE)
  @ApiBody({ type: Order })
  @ApiOkResponse({ type: Order, description: 'successful operation: the order is placed and the pet is pending' })
  @ApiAcceptedResponse({
    type: PendingOrder,
    description: 'The pet is reserved for this order id but the order is not confirmed yet; GET the Location shortly.',
    headers: {
      Location: { description: 'Where the order will be: /api/v3/store/order/{orderId}', schema: { type: 'string' } },
      'Retry-After': { description: 'Seconds to wait before fetching it.', schema: { type: 'integer' } },
    },
  })
  @ApiLoggedIn()
  @ApiErrors({
    400: 'Invalid input or a malformed Idempotency-Key: the message names each failing field (petId, quantity 1..100, shipDate as date-time).',
    404: 'The pet does not exist.',
    409: `The pet is not available (pending or sold), or the user already has as many orders awaiting the store's approval as one may: no order was created. Or the order placed under the Idempotency-Key has since been cancelled. ${IDEMPOTENCY_KEY_IN_USE}`,
    422: IDEMPOTENCY_KEY_REUSED,
    503: 'order-service or pet-service is unreachable or did not confirm the reservation: no order was placed.',
  })
  async placeOrder(
    @Body() order: Order,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Order | PendingOrder> {
    const answer = await this.orderService.call<Order | PendingOrder>({
      method: 'POST',
      path: '/orders',
      json: order,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      onBehalfOf: user,
      timeoutMs: PLACE_ORDER_TIMEOUT_MS,
    });
    response.status(answer.status);
    if (answer.status === HttpStatus.ACCEPTED) {
      response.header('Location', `/${API_PREFIX}/store/order/${answer.body.id}`);
      response.header('Retry-After', '1');
    }
    return answer.body;
  }

  @Get('order/:orderId')
  @ApiOperation({
    operationId: 'getOrderById',
    summary: 'Find purchase order by ID.',
    description: 'A customer sees their own orders; a store owner sees every order.',
  })
  @ApiParam({ ...ORDER_ID, description: 'ID of order that needs to be fetched' })
  @ApiOkResponse({ type: Order, description: 'successful operation' })
  @ApiLoggedIn()
  @ApiErrors({ 400: INVALID_ID, 404: ORDER_NOT_FOUND, 503: ORDER_SERVICE_DOWN })
  getOrderById(@Param('orderId', ParseIdPipe) orderId: number, @CurrentUser() user: AuthenticatedUser): Promise<Order> {
    return this.orderService.json<Order>({ path: `/orders/${orderId}`, onBehalfOf: user });
  }

  @Delete('order/:orderId')
  @ApiOperation({
    operationId: 'deleteOrder',
    summary: 'Delete purchase order by identifier.',
    description:
      'Cancels a placed order (its owner or a store owner); the pet becomes available again shortly after. An approved ' +
      'or delivered order cannot be cancelled (409). Unlike the reference server, an unknown order is 404, not 200. ' +
      'Sent again with the same `Idempotency-Key`, it answers 200 as the first did, where without one it would be 404.',
  })
  @ApiIdempotencyKey()
  @ApiParam({ ...ORDER_ID, description: 'ID of the order that needs to be deleted' })
  @ApiOkResponse({ description: 'order deleted' })
  @AnswersNothing()
  @ApiLoggedIn()
  @ApiErrors({
    400: `${INVALID_ID} Or a malformed Idempotency-Key.`,
    404: ORDER_NOT_FOUND,
    409: `The order is approved or delivered: only a placed order can be cancelled. ${IDEMPOTENCY_KEY_IN_USE}`,
    422: IDEMPOTENCY_KEY_REUSED,
    503: ORDER_SERVICE_DOWN,
  })
  async deleteOrder(
    @Param('orderId', ParseIdPipe) orderId: number,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.orderService.json<void>({
      method: 'DELETE',
      path: `/orders/${orderId}`,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      onBehalfOf: user,
    });
  }

  @Post('order/:orderId/approve')
  @HttpCode(200)
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'approveOrder',
    summary: 'Approve a placed order (extension; store owner).',
    description:
      'placed → approved; the pet becomes sold shortly after (ORDER_APPROVED, then PET_SOLD). Sent again with the same ' +
      '`Idempotency-Key`, it answers the order as the first send approved it, where without one it would be 409.',
  })
  @ApiIdempotencyKey()
  @ApiParam({ ...ORDER_ID, description: 'ID of the order to approve' })
  @ApiOkResponse({ type: Order, description: 'the approved order' })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: `${INVALID_ID} Or a malformed Idempotency-Key.`,
    404: ORDER_NOT_FOUND,
    409: `The order is not placed (already approved or delivered), or its user was deleted (the order is then cancelled and its pet released). ${IDEMPOTENCY_KEY_IN_USE}`,
    422: IDEMPOTENCY_KEY_REUSED,
    503: "order-service, or user-service (which says whether the order's user still exists), is unreachable; nothing was changed.",
  })
  approveOrder(
    @Param('orderId', ParseIdPipe) orderId: number,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Order> {
    return this.changeOrder(orderId, 'approve', user, idempotencyKey);
  }

  @Post('order/:orderId/deliver')
  @HttpCode(200)
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'deliverOrder',
    summary: 'Deliver an approved order (extension; store owner).',
    description:
      'approved → delivered, complete: true (ORDER_DELIVERED). Sent again with the same `Idempotency-Key`, it answers ' +
      'the order as the first send delivered it, where without one it would be 409.',
  })
  @ApiIdempotencyKey()
  @ApiParam({ ...ORDER_ID, description: 'ID of the order to deliver' })
  @ApiOkResponse({ type: Order, description: 'the delivered order' })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: `${INVALID_ID} Or a malformed Idempotency-Key.`,
    404: ORDER_NOT_FOUND,
    409: `The order is not approved (still placed, or already delivered). ${IDEMPOTENCY_KEY_IN_USE}`,
    422: IDEMPOTENCY_KEY_REUSED,
    503: ORDER_SERVICE_DOWN,
  })
  deliverOrder(
    @Param('orderId', ParseIdPipe) orderId: number,
    @CurrentUser() user: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Order> {
    return this.changeOrder(orderId, 'deliver', user, idempotencyKey);
  }

  @Get('orders')
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'listOrders',
    summary: 'List orders, filtered by status (extension; store owner).',
    description: 'Placed, approved and delivered orders by ascending id; cancelled orders are gone.',
  })
  @ApiOkResponse({ type: [Order], description: 'successful operation' })
  @ApiStoreOwnerOnly()
  @ApiErrors({ 400: 'Invalid status, petId, limit or offset: the message names it.', 503: ORDER_SERVICE_DOWN })
  listOrders(@Query() query: ListOrdersQuery, @CurrentUser() user: AuthenticatedUser): Promise<Order[]> {
    return this.orderService.json<Order[]>({
      path: '/orders',
      query: {
        status: query.status,
        petId: query.petId?.toString(),
        ...pageParameters(query),
      },
      onBehalfOf: user,
    });
  }

  private changeOrder(orderId: number, change: 'approve' | 'deliver', user: AuthenticatedUser, idempotencyKey: string | undefined): Promise<Order> {
    return this.orderService.json<Order>({
      method: 'POST',
      path: `/orders/${orderId}/${change}`,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      onBehalfOf: user,
    });
  }
}
