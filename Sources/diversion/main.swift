import DiversionGraph
let g = try ShipmentGraph.load(path: CommandLine.arguments[1])
print(g.entityCount, g.itemCount, g.shipmentCount, g.bytesPerShipment)
