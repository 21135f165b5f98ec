package com.shopcrm.order.service;

import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.tenant.TenantContext;
import com.shopcrm.order.Order;
import com.shopcrm.order.repository.OrderRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Use cases on a shop's orders. */
@ApplicationScoped
public class OrderService {

  private final OrderRepository orders;

  OrderService(OrderRepository orders) {
    this.orders = orders;
  }

  public Uni<Page<Order>> list(TenantContext tenant, PageRequest page) {
    return orders.listPage(tenant.tenantId(), page)
        .map(rows -> Page.of(rows, page, order -> order.id));
  }
}
