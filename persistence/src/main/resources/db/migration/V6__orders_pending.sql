-- The pending-order sweeper (cluster/.../oms/PendingSweeper) asks for orders waiting for the venue longer than its
-- interval: a small partial index (orders leave these states within the OMS's pending timeout).
CREATE INDEX orders_pending ON orders (updated_at)
  WHERE status IN ('PENDING_NEW', 'PENDING_CANCEL', 'PENDING_MODIFY');
