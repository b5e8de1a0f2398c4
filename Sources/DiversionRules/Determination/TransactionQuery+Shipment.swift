import DiversionGraph

extension TransactionQuery {
    /// The query a shipment poses: its item, to the consignee's country, on its date.
    public static func forShipment(at p: Int, in g: ShipmentGraph) -> TransactionQuery {
        let to = g.shipmentTo[p]
        return TransactionQuery(item: g.shipmentItem[p], destination: g.entityCountry[Int(to)], consignee: to,
                                endUser: g.endUsers[p], shipper: g.shipper(of: p), date: g.day(p),
                                recordedLicense: g.licenses[p])
    }
}
