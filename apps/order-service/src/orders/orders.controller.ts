import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { AuthenticatedUser, ListOrdersQuery, Order, PendingOrder } from '@petstore/dto';
import { CallingUser, ForSignedInUser, IdempotencyKey, ParseIdPipe } from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { OrderPlacementService } from './order-placement.service';
import { toOrderView, toPendingView } from './order-views';
import { OrdersService } from './orders.service';

/** order-service's own API; the gateway's /store routes forward here for the signed-in user. */
@ForSignedInUser()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placement: OrderPlacementService,
    private readonly orders: OrdersService,
  ) {}

  /** 200 with the placed order, or 202 with the order id when the reservation holds but is not confirmed yet. */
  @Post()
  async place(
    @Body() request: Order,
    @CallingUser() caller: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Order | PendingOrder> {
    const outcome = await this.placement.place(request, caller, idempotencyKey);
    if (outcome.placed) {
      response.status(HttpStatus.OK);
      return toOrderView(outcome.order);
    }
    response.status(HttpStatus.ACCEPTED);
    return toPendingView(outcome.order);
  }

  @Get()
  async list(@Query() query: ListOrdersQuery, @CallingUser() caller: AuthenticatedUser): Promise<Order[]> {
    return (await this.orders.list(query, caller)).map(toOrderView);
  }

  @Get(':orderId')
  async get(@Param('orderId', ParseIdPipe) orderId: number, @CallingUser() caller: AuthenticatedUser): Promise<Order> {
    return toOrderView(await this.orders.get(orderId, caller));
  }

  @Delete(':orderId')
  @HttpCode(HttpStatus.OK)
  async cancel(
    @Param('orderId', ParseIdPipe) orderId: number,
    @CallingUser() caller: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.orders.cancel(orderId, caller, idempotencyKey);
  }

  @Post(':orderId/approve')
  @HttpCode(HttpStatus.OK)
  approve(
    @Param('orderId', ParseIdPipe) orderId: number,
    @CallingUser() caller: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Order> {
    return this.orders.approve(orderId, caller, idempotencyKey);
  }

  @Post(':orderId/deliver')
  @HttpCode(HttpStatus.OK)
  deliver(
    @Param('orderId', ParseIdPipe) orderId: number,
    @CallingUser() caller: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<Order> {
    return this.orders.deliver(orderId, caller, idempotencyKey);
  }
}
