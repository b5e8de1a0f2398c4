import DiversionGraph

extension WorldGenerator {
    private func partyId(_ out: CSVFile, _ ids: PublicIds, _ p: Int32) {
        out.byte(0x70)  // "p"
        out.padded(Int(ids.number[Int(p)]), width: ids.partyWidth)
    }

    /// `entities.csv`, in public id order (a seeded random order for a shuffled shape).
    func writeEntities(_ model: WorldModel, _ ids: PublicIds, to folder: String) throws {
        let out = try CSVFile(folder: folder, table: .entities)
        let roles = PartyTable.roles.map { Array($0.rawValue.utf8) }
        let anchorNames = Anchor.allCases.map { Array($0.name.utf8) }
        var name: [UInt8] = []
        name.reserveCapacity(128)
        let parties = model.parties
        let shape = configuration.shape
        var order = ids.party
        if shape.shuffled {
            var r = SeededRandom(seed: configuration.seed, stream: Stream.shuffle.rawValue)
            r.shuffle(&order)
        }
        for p in order {
            out.ensureRoom(512)
            partyId(out, ids, p)
            out.comma()
            let country = parties.country[Int(p)]
            if Int(p) < anchorNames.count {
                name = anchorNames[Int(p)]
            } else {
                name.removeAll(keepingCapacity: true)
                PartyNames.append(party: p, seed: configuration.seed, country: country, role: parties.roleOf(p), to: &name)
            }
            if shape.longText { PartyNames.appendAddress(party: p, seed: configuration.seed, to: &name) }
            out.textBytes(name)
            out.comma()
            out.bytes(Countries.table[Int(country)].bytes)
            out.comma()
            // NB: a sparse shape leaves out roles (they only colour scores), never a headquarters (it can make
            // a party Tier 3, and the ground truth counts on it).
            if !shape.sparseOptional || PartyNames.mix(UInt64(UInt32(bitPattern: p)) ^ configuration.seed ^ 0x5BA5_5E) & 1 == 0 {
                out.bytes(roles[Int(parties.role[Int(p)])])
            }
            out.comma()
            let hq = parties.headquarters[Int(p)]
            if hq != PartyTable.noHeadquarters { out.bytes(Countries.table[Int(hq)].bytes) }
            out.newline()
        }
        try out.close()
    }

    /// The small tables: ownership, listings, items, components, provenance and equipment.
    func writeReferenceTables(_ model: WorldModel, _ ids: PublicIds, to folder: String) throws {
        // Holdings and listings are written in public id order, so that those of schemes mix with the rest.
        let holdings = model.holdings.sorted {
            (ids.number[Int($0.owned)], ids.number[Int($0.owner)]) < (ids.number[Int($1.owned)], ids.number[Int($1.owner)])
        }
        let ownership = try CSVFile(folder: folder, table: .ownership)
        for h in holdings {
            ownership.ensureRoom(256)
            partyId(ownership, ids, h.owner); ownership.comma()
            partyId(ownership, ids, h.owned); ownership.comma()
            ownership.hundredths(h.percent); ownership.comma()
            ownership.day(h.since); ownership.comma()
            ownership.day(h.until)
            ownership.newline()
        }
        try ownership.close()

        let entries = model.listings.enumerated().sorted {
            (ids.number[Int($0.element.entity)], $0.offset) < (ids.number[Int($1.element.entity)], $1.offset)
        }.map(\.element)
        let listings = try CSVFile(folder: folder, table: .listings)
        for l in entries {
            listings.ensureRoom(256)
            partyId(listings, ids, l.entity); listings.comma()
            listings.ascii(l.list); listings.comma()
            if let f = l.footnote { listings.int(f) }
            listings.comma()
            listings.day(l.since); listings.comma()
            listings.day(l.until)
            listings.newline()
        }
        try listings.close()

        let items = try CSVFile(folder: folder, table: .items)
        let world = model.items
        let sparse = configuration.shape.sparseOptional
        var r = SeededRandom(seed: configuration.seed, stream: Stream.sparseItems.rawValue)
        for (k, i) in world.items.enumerated() {
            // A sparse shape leaves out half the descriptions, and of the extra items' cells half the HS codes
            // and, for the EAR99 and unclassified goods, half the makers and unit values. NB: the catalogue's
            // other cells (classification, value, maker) decide jurisdiction and stay.
            let isExtra = k >= world.catalogueCount
            let isPlainExtra = isExtra && !i.kind.isControlled
            let keepDescription = !sparse || r.chance(0.5)
            let keepHS = !sparse || !isExtra || r.chance(0.5)
            let keepMaker = !sparse || !isPlainExtra || r.chance(0.5)
            let keepValue = !sparse || !isPlainExtra || r.chance(0.5)
            items.ensureRoom(1024)
            items.text(i.id); items.comma()
            if keepDescription { items.text(i.description) }
            items.comma()
            if let e = i.eccn { items.ascii(e) }
            items.comma()
            if let h = i.hsCode, keepHS { items.ascii(h) }
            items.comma()
            items.ascii(i.origin); items.comma()
            if let m = i.maker, keepMaker { partyId(items, ids, m.party) }
            items.comma()
            if keepValue { items.int(i.unitValue) }
            items.comma()
            items.double(i.tpp); items.comma()
            items.double(i.tops); items.comma()
            items.double(i.bitLength); items.comma()
            items.double(i.dieArea); items.comma()
            items.double(i.interconnect)
            items.newline()
        }
        try items.close()

        let components = try CSVFile(folder: folder, table: .components)
        for (assembly, part, quantity, value) in world.components {
            components.ensureRoom(256)
            components.ascii(assembly); components.comma()
            components.ascii(part); components.comma()
            components.int(quantity); components.comma()
            if let value { components.int(value) }
            components.newline()
        }
        try components.close()

        let provenance = try CSVFile(folder: folder, table: .provenance)
        for (item, kind, eccn, origin) in ItemCatalogue.provenance {
            provenance.ensureRoom(256)
            provenance.ascii("\(item),\(kind.rawValue),\(eccn),\(origin)")
            provenance.newline()
        }
        try provenance.close()

        let equipment = try CSVFile(folder: folder, table: .equipment)
        for (tool, quantity) in ItemCatalogue.foundryEquipment {
            equipment.ensureRoom(256)
            partyId(equipment, ids, Anchor.formosaFab.party); equipment.comma()
            equipment.ascii(tool); equipment.comma()
            equipment.int(quantity)
            equipment.newline()
        }
        try equipment.close()
    }

    /// `shipments.csv`: background rows streamed in date order with the injected shipments merged in by
    /// date (then put in a random order, each day's rows keeping theirs, for a shuffled shape: see
    /// ``ShuffledRows``). Returns the number (from 1, the order of generation) of each injected shipment.
    func writeShipments(_ model: WorldModel, _ injected: [PlannedShipment], _ ids: PublicIds, to folder: String,
                        progress: (@Sendable (Int) -> Void)?) throws -> [Int] {
        let total = configuration.shipments
        let backgroundRows = total - injected.count
        var traffic = BackgroundTraffic(model: model, count: backgroundRows,
                                        random: SeededRandom(seed: configuration.seed, stream: Stream.background.rawValue))
        let order = injected.indices.sorted { (injected[$0].day, $0) < (injected[$1].day, $1) }
        var position = [Int](repeating: 0, count: injected.count)

        // Dates and item ids as bytes, formatted once.
        let first = WorldCalendar.first
        var dateBytes: [UInt8] = []
        for d in first...WorldCalendar.last { dateBytes.append(contentsOf: Day(rawValue: d).description.utf8) }
        let itemIds = model.items.items.map { Array($0.id.utf8) }
        let out = try CSVFile(folder: folder, table: .shipments)
        let shape = configuration.shape
        var shuffleRandom = SeededRandom(seed: configuration.seed, stream: Stream.shuffle.rawValue)
        let parts = shape.shuffled ? try ShuffledRows(folder: folder, rows: total, random: &shuffleRandom) : nil
        // A sparse shape empties each optional cell with probability 1/2, drawing from a stream of its own so
        // that the rows are otherwise those of the same world unshaped. NB: never an injected shipment's
        // licence, which decides whether a decoy's last hop is a violation.
        let sparse = shape.sparseOptional
        let quoted = shape.quotedCells
        let quotedSuffix = Array(", ORIGINAL".utf8)
        var blank = SeededRandom(seed: configuration.seed, stream: Stream.sparse.rawValue)
        let width = ids.shipmentWidth, partyWidth = ids.partyWidth
        var written = 0
        var next = 0
        var row = BackgroundRow()
        dateBytes.withUnsafeBufferPointer { dates in
            ids.number.withUnsafeBufferPointer { number in
                func write(_ day: Int32, _ from: Int32, _ to: Int32, _ item: Int, _ quantity: Int, _ value: Int,
                           _ declared: Int32?, _ license: DocumentCode, _ reference: DocumentCode, injected: Bool) {
                    written += 1
                    var (value, declared, license, reference) = (Optional(value), declared, license, reference)
                    if sparse {
                        if blank.chance(0.5) { value = nil }
                        if blank.chance(0.5) { declared = nil }
                        if blank.chance(0.5) { reference = .none }
                        if blank.chance(0.5), !injected { license = .none }
                    }
                    let out = parts?.file(forDay: day) ?? out
                    out.ensureRoom(256)
                    out.byte(0x73)  // "s"
                    out.padded(written, width: width)
                    out.comma()
                    let at = Int(day - first) * 10
                    out.bytes(UnsafeBufferPointer(rebasing: dates[at ..< at + 10]))
                    out.comma()
                    out.byte(0x70); out.padded(Int(number[Int(from)]), width: partyWidth)
                    out.comma()
                    out.byte(0x70); out.padded(Int(number[Int(to)]), width: partyWidth)
                    out.comma()
                    out.bytes(itemIds[item])
                    out.comma()
                    out.int(quantity)
                    out.comma()
                    if let value { out.int(value) }
                    out.comma()
                    if let declared { out.byte(0x70); out.padded(Int(number[Int(declared)]), width: partyWidth) }
                    out.comma()
                    out.code(license)
                    out.comma()
                    if quoted, reference != .none {
                        out.byte(0x22); out.code(reference)
                        quotedSuffix.withUnsafeBufferPointer { out.bytes($0) }
                        out.byte(0x22)
                    } else {
                        out.code(reference)
                    }
                    out.newline()
                    if written & 0xFFFF == 0 { progress?(written) }
                }
                func flushInjected(through day: Int32) {
                    while next < order.count, injected[order[next]].day <= day {
                        let s = injected[order[next]]
                        write(s.day, s.from, s.to, s.item, s.quantity, s.value, s.declaredEndUser, s.license, s.reference,
                              injected: true)
                        position[order[next]] = written
                        next += 1
                    }
                }
                for k in 0..<backgroundRows {
                    flushInjected(through: traffic.baseDay(k))
                    traffic.next(k, into: &row)
                    write(row.day, row.from, row.to, row.item, row.quantity, row.value,
                          row.declaresEndUser ? row.to : nil, row.license, row.reference, injected: false)
                }
                flushInjected(through: .max)
            }
        }
        try parts?.finish(into: out, dateOffset: 1 + width + 1, random: &shuffleRandom)
        try out.close()
        precondition(written == total)
        progress?(written)
        return position
    }
}
