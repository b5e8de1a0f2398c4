import DiversionGraph

/// The named companies every world has: the makers of the catalogue's goods, the foundry and its tool
/// makers. They are the first internal parties of a world (their public ids are shuffled like all others).
enum Anchor: Int, CaseIterable {
    case verdant, radian, inteq, cascadeEtch, lumenTools, formosaFab
    case delmont, supermarine, penangServer, kulimCompute, hsinchuRack, taoyuanCloud
    case hanbitMemory, brightlinkCable, orientComputer, keelungNotebook, selangorPower, kansaiParts

    var party: Int32 { Int32(rawValue) }

    var name: String {
        switch self {
        case .verdant: return "Verdant Graphics Corp."
        case .radian: return "Radian Micro Devices, Inc."
        case .inteq: return "Inteq Compute Corp."
        case .cascadeEtch: return "Cascade Etch Systems, Inc."
        case .lumenTools: return "Lumen Process Tools LLC"
        case .formosaFab: return "Formosa Silicon Foundry Co., Ltd."
        case .delmont: return "Delmont Systems, Inc."
        case .supermarine: return "Supermarine Computing, Inc."
        case .penangServer: return "Penang Server Works Sdn. Bhd."
        case .kulimCompute: return "Kulim Compute Assembly Sdn. Bhd."
        case .hsinchuRack: return "Hsinchu Rack Systems Co., Ltd."
        case .taoyuanCloud: return "Taoyuan Cloud Hardware Corp."
        case .hanbitMemory: return "Hanbit Memory Co., Ltd."
        case .brightlinkCable: return "Shenzhen Brightlink Cable Co., Ltd."
        case .orientComputer: return "Jiangsu Orient Computer Co., Ltd."
        case .keelungNotebook: return "Keelung Notebook Corp."
        case .selangorPower: return "Selangor Power Components Sdn. Bhd."
        case .kansaiParts: return "Kansai Precision Parts K.K."
        }
    }

    var country: String {
        switch self {
        case .verdant, .radian, .inteq, .cascadeEtch, .lumenTools, .delmont, .supermarine: return "US"
        case .formosaFab, .hsinchuRack, .taoyuanCloud, .keelungNotebook: return "TW"
        case .penangServer, .kulimCompute, .selangorPower: return "MY"
        case .hanbitMemory: return "KR"
        case .brightlinkCable, .orientComputer: return "CN"
        case .kansaiParts: return "JP"
        }
    }

    var role: PartyRole {
        switch self {
        case .verdant, .radian, .inteq: return .designer
        case .cascadeEtch, .lumenTools: return .equipmentMaker
        case .formosaFab: return .fab
        case .delmont, .supermarine, .penangServer, .kulimCompute, .hsinchuRack, .taoyuanCloud, .orientComputer,
             .keelungNotebook: return .assembler
        case .hanbitMemory, .brightlinkCable, .selangorPower, .kansaiParts: return .other
        }
    }
}
