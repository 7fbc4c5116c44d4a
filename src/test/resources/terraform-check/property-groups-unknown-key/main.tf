locals {
  # "strat.position" is a typo of "start.position".
  property_groups = {
    source = {
      "table.name"     = "orders"
      "strat.position" = "LATEST"
    }
    opensearch = {
      endpoint = "https://search-orders.eu-west-1.es.amazonaws.com"
    }
    deadletter = {
      path = "s3://orders-bucket/dead-letters"
    }
  }
}
