/** The made-up world `npm run seed:catalog` draws products from: a 3-level category tree, brands, features. */

/** A leaf category: the nouns its product titles end in, features they lead with, a typical price in cents. */
export interface Leaf {
  name: string;
  nouns: readonly string[];
  features: readonly string[];
  price: number;
}

export interface Department {
  name: string;
  /** Share of the catalog. */
  weight: number;
  brands: readonly string[];
  /** Second-level categories with their leaves. */
  groups: readonly { name: string; leaves: readonly Leaf[] }[];
}

const leaf = (name: string, nouns: string, features: string, price: number): Leaf => ({
  name,
  nouns: nouns.split('|'),
  features: features.split('|'),
  price,
});

export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Electronics',
    weight: 22,
    brands: ['Sonora', 'Vertex', 'Brightwave', 'Corvus', 'Lumina', 'Nimbus', 'Quartz', 'Vantage', 'Zephyr', 'Halcyon'],
    groups: [
      { name: 'Audio', leaves: [
        leaf('Headphones', 'Headphones|Headset|Over-Ear Headphones', 'Wireless|Noise Cancelling|Bluetooth|Studio|Foldable|Gaming|Kids', 12_900),
        leaf('Earbuds', 'Earbuds|In-Ear Earphones|Sport Earbuds', 'True Wireless|Noise Cancelling|Waterproof|Bluetooth|Compact', 7_900),
        leaf('Speakers', 'Speaker|Bookshelf Speakers|Party Speaker', 'Portable|Bluetooth|Waterproof|Smart|Outdoor|Rugged', 9_900),
        leaf('Soundbars', 'Soundbar|Sound System', 'Dolby Atmos|Wireless|Compact|Home Theater', 24_900),
      ] },
      { name: 'Computers', leaves: [
        leaf('Laptops', 'Laptop|Notebook|Ultrabook|Chromebook', '14 inch|16 inch|Ultralight|Gaming|Business|2-in-1|OLED', 99_900),
        leaf('Monitors', 'Monitor|Display|Curved Monitor', '27 inch|4K|Ultrawide|144Hz|USB-C|IPS', 29_900),
        leaf('Keyboards', 'Keyboard|Mechanical Keyboard', 'Wireless|Backlit|Ergonomic|Compact|Gaming|Silent', 5_900),
        leaf('Mice', 'Mouse|Trackball|Gaming Mouse', 'Wireless|Ergonomic|Silent|Rechargeable|Lightweight', 3_900),
      ] },
      { name: 'Phones', leaves: [
        leaf('Smartphones', 'Smartphone|Phone', '5G|Dual SIM|128GB|256GB|Unlocked|Compact', 59_900),
        leaf('Phone Cases', 'Phone Case|Case|Wallet Case', 'Shockproof|Slim|Leather|Clear|Magnetic', 1_900),
        leaf('Chargers', 'Charger|Power Bank|Charging Cable', 'Fast|USB-C|Wireless|65W|Travel|Magnetic', 2_900),
      ] },
      { name: 'TV & Video', leaves: [
        leaf('Televisions', 'TV|Television|Smart TV', '55 inch|65 inch|4K|OLED|QLED|HDR', 69_900),
        leaf('Projectors', 'Projector|Mini Projector', '4K|Portable|Home Cinema|Short Throw', 39_900),
        leaf('Streaming Devices', 'Streaming Stick|Media Player', '4K|HDR|Voice Remote|Compact', 4_900),
      ] },
      { name: 'Cameras', leaves: [
        leaf('Digital Cameras', 'Camera|Mirrorless Camera|Action Camera', 'Mirrorless|Waterproof|4K|Compact|Vlogging', 79_900),
        leaf('Lenses', 'Lens|Zoom Lens|Prime Lens', 'Wide Angle|Telephoto|Macro|Fast', 44_900),
        leaf('Drones', 'Drone|Quadcopter', 'Foldable|4K|GPS|Beginner|Long Range', 54_900),
      ] },
    ],
  },
  {
    name: 'Home & Kitchen',
    weight: 18,
    brands: ['Kiln & Co', 'Hearthstone', 'Willow', 'Ironwood', 'Juniper', 'Maple Row', 'Copperleaf', 'Dunmore'],
    groups: [
      { name: 'Kitchen', leaves: [
        leaf('Cookware', 'Frying Pan|Saucepan|Dutch Oven|Cookware Set', 'Nonstick|Cast Iron|Stainless Steel|Ceramic|Induction', 6_900),
        leaf('Knives', 'Chef Knife|Knife Set|Paring Knife', 'Japanese|Forged|Stainless Steel|Damascus', 5_900),
        leaf('Coffee Makers', 'Coffee Maker|Espresso Machine|French Press|Grinder', 'Programmable|Automatic|Burr|Single Serve|Stainless', 12_900),
        leaf('Blenders', 'Blender|Smoothie Blender|Hand Blender', 'High Speed|Portable|Glass|Quiet', 8_900),
        leaf('Mugs', 'Mug|Travel Mug|Cup', 'Stoneware|Insulated|Ceramic|Handmade|Large', 1_800),
      ] },
      { name: 'Furniture', leaves: [
        leaf('Sofas', 'Sofa|Couch|Loveseat|Sectional Sofa', 'Velvet|Leather|Modular|Sleeper|Mid-Century', 89_900),
        leaf('Desks', 'Desk|Standing Desk|Writing Desk', 'Adjustable|Solid Wood|Corner|Compact', 34_900),
        leaf('Chairs', 'Office Chair|Dining Chair|Armchair', 'Ergonomic|Upholstered|Swivel|Oak', 19_900),
        leaf('Shelves', 'Bookshelf|Wall Shelf|Shelving Unit', 'Oak|Floating|Industrial|Ladder', 12_900),
      ] },
      { name: 'Bedding', leaves: [
        leaf('Sheets', 'Sheet Set|Fitted Sheet', 'Cotton|Linen|Percale|Bamboo|Queen|King', 7_900),
        leaf('Pillows', 'Pillow|Pillow Set', 'Memory Foam|Down|Cooling|Orthopedic', 4_900),
        leaf('Duvets', 'Duvet|Comforter|Quilt', 'All Season|Down Alternative|Lightweight|Wool', 11_900),
      ] },
      { name: 'Decor', leaves: [
        leaf('Lamps', 'Table Lamp|Floor Lamp|Desk Lamp', 'LED|Dimmable|Brass|Ceramic|Smart', 6_900),
        leaf('Rugs', 'Rug|Area Rug|Runner', 'Wool|Washable|Vintage|Shag', 14_900),
        leaf('Wall Art', 'Print|Canvas|Poster', 'Abstract|Botanical|Framed|Large', 4_900),
      ] },
    ],
  },
  {
    name: 'Fashion',
    weight: 20,
    brands: ['Northwind', 'Aurelia', 'Solstice', 'Tundra', 'Redwood', 'Fjord', 'Umbra', 'Kestrel', 'Meridian'],
    groups: [
      { name: 'Shoes', leaves: [
        leaf('Sneakers', 'Sneakers|Running Shoes|Trainers', 'Lightweight|Breathable|Leather|Retro|Limited|Trail', 11_900),
        leaf('Boots', 'Boots|Chelsea Boots|Hiking Boots', 'Waterproof|Leather|Insulated|Suede', 15_900),
        leaf('Sandals', 'Sandals|Slides|Flip Flops', 'Cushioned|Leather|Adjustable|Beach', 4_900),
      ] },
      { name: "Men's Clothing", leaves: [
        leaf('T-Shirts', 'T-Shirt|Tee|Polo Shirt', 'Organic Cotton|Slim Fit|Crew Neck|Graphic', 2_500),
        leaf('Jackets', 'Jacket|Parka|Rain Jacket|Puffer Jacket', 'Waterproof|Insulated|Packable|Down|Windproof', 17_900),
        leaf('Jeans', 'Jeans|Chinos|Pants|Trousers', 'Slim|Straight|Stretch|Relaxed', 6_900),
        leaf('Hoodies', 'Hoodie|Sweatshirt|Zip Hoodie', 'Fleece|Heavyweight|Organic Cotton|Oversized', 5_900),
      ] },
      { name: "Women's Clothing", leaves: [
        leaf('Dresses', 'Dress|Maxi Dress|Midi Dress', 'Linen|Floral|Wrap|Summer|Knit', 7_900),
        leaf('Tops', 'Blouse|Top|Tank Top|Sweater', 'Silk|Cotton|Cropped|Cashmere|Ribbed', 4_500),
        leaf('Leggings', 'Leggings|Yoga Pants|Joggers', 'High Waist|Seamless|Thermal|Pocket', 4_900),
      ] },
      { name: 'Accessories', leaves: [
        leaf('Watches', 'Watch|Smartwatch|Chronograph', 'Automatic|Stainless Steel|Leather Strap|Solar|Fitness', 19_900),
        leaf('Bags', 'Backpack|Tote Bag|Crossbody Bag|Duffel Bag', 'Leather|Canvas|Waterproof|Laptop|Travel', 8_900),
        leaf('Sunglasses', 'Sunglasses|Aviators', 'Polarized|Round|Sport|Oversized', 6_900),
      ] },
    ],
  },
  {
    name: 'Sports & Outdoors',
    weight: 10,
    brands: ['Ridgeline', 'Summit Gear', 'Trailhead', 'Pinnacle', 'Evergreen', 'Obsidian', 'Glacier'],
    groups: [
      { name: 'Camping', leaves: [
        leaf('Tents', 'Tent|Backpacking Tent|Family Tent', 'Two Person|Four Person|Ultralight|Waterproof|Instant', 24_900),
        leaf('Sleeping Bags', 'Sleeping Bag|Sleeping Pad', 'Down|Mummy|Three Season|Compact', 12_900),
        leaf('Backpacks', 'Backpack|Hiking Backpack|Daypack|Rucksack', '40L|65L|Ultralight|Waterproof', 13_900),
      ] },
      { name: 'Fitness', leaves: [
        leaf('Yoga Mats', 'Yoga Mat|Exercise Mat', 'Non-Slip|Thick|Cork|Travel', 3_900),
        leaf('Dumbbells', 'Dumbbells|Kettlebell|Weight Set', 'Adjustable|Hex|Cast Iron|Neoprene', 8_900),
        leaf('Treadmills', 'Treadmill|Exercise Bike|Rowing Machine', 'Folding|Smart|Magnetic|Compact', 79_900),
      ] },
      { name: 'Cycling', leaves: [
        leaf('Bikes', 'Bike|Mountain Bike|Road Bike|E-Bike', 'Aluminium|Carbon|Electric|Hybrid|Gravel', 89_900),
        leaf('Helmets', 'Helmet|Bike Helmet', 'MIPS|Lightweight|Ventilated|Commuter', 7_900),
        leaf('Bike Lights', 'Bike Light|Light Set', 'Rechargeable|USB|Bright|Waterproof', 2_900),
      ] },
    ],
  },
  {
    name: 'Beauty & Health',
    weight: 8,
    brands: ['Lumen Skin', 'Pure Botanica', 'Velvet Rose', 'Clarity', 'Aqua Vita', 'Seraphine'],
    groups: [
      { name: 'Skincare', leaves: [
        leaf('Moisturizers', 'Moisturizer|Face Cream|Night Cream', 'Hydrating|Vitamin C|Fragrance Free|Retinol', 2_900),
        leaf('Cleansers', 'Cleanser|Face Wash|Micellar Water', 'Gentle|Foaming|Exfoliating|Oil Free', 1_900),
        leaf('Sunscreen', 'Sunscreen|Sun Lotion', 'SPF 50|Mineral|Water Resistant|Tinted', 1_900),
      ] },
      { name: 'Hair Care', leaves: [
        leaf('Shampoo', 'Shampoo|Conditioner|Hair Mask', 'Sulfate Free|Volumizing|Repair|Argan Oil', 1_500),
        leaf('Hair Dryers', 'Hair Dryer|Straightener|Curling Iron', 'Ionic|Ceramic|Cordless|Travel', 7_900),
      ] },
      { name: 'Personal Care', leaves: [
        leaf('Electric Toothbrushes', 'Electric Toothbrush|Water Flosser', 'Sonic|Rechargeable|Travel|Smart', 6_900),
        leaf('Shavers', 'Shaver|Trimmer|Beard Trimmer', 'Cordless|Waterproof|Rotary|Precision', 5_900),
      ] },
    ],
  },
  {
    name: 'Toys & Games',
    weight: 8,
    brands: ['Brickworks', 'Playfield', 'Wonderbox', 'Tinker Toys', 'Galaxy Games'],
    groups: [
      { name: 'Building Toys', leaves: [
        leaf('Building Sets', 'Building Set|Construction Kit|Robot Kit', 'Creative|Space|City|STEM|Castle', 4_900),
        leaf('Blocks', 'Blocks|Magnetic Tiles|Stacking Blocks', 'Wooden|Magnetic|Toddler|Rainbow', 2_900),
      ] },
      { name: 'Board Games', leaves: [
        leaf('Strategy Games', 'Board Game|Strategy Game|Card Game', 'Cooperative|Family|Expansion|Classic', 3_900),
        leaf('Party Games', 'Party Game|Trivia Game|Word Game', 'Family|Adult|Travel|Quick', 2_500),
      ] },
      { name: 'Outdoor Play', leaves: [
        leaf('Scooters', 'Scooter|Kick Scooter|Balance Bike', 'Foldable|Light Up|Three Wheel|Adjustable', 6_900),
        leaf('Water Toys', 'Water Blaster|Pool Float|Sprinkler', 'Inflatable|Giant|Kids|Summer', 1_900),
      ] },
    ],
  },
  {
    name: 'Office',
    weight: 7,
    brands: ['Paperline', 'Inkwell', 'Ledger', 'Deskmate', 'Foliant'],
    groups: [
      { name: 'Paper', leaves: [
        leaf('Notebooks', 'Notebook|Journal|Sketchbook', 'Dotted|Lined|Hardcover|A5|Recycled', 1_500),
        leaf('Planners', 'Planner|Calendar|Agenda', 'Weekly|Undated|Academic|Monthly', 2_200),
      ] },
      { name: 'Writing', leaves: [
        leaf('Pens', 'Pen|Fountain Pen|Gel Pens', 'Fine|Refillable|Smooth|Multicolor', 1_200),
        leaf('Markers', 'Markers|Highlighters|Brush Pens', 'Dual Tip|Pastel|Permanent|Washable', 1_400),
      ] },
      { name: 'Office Electronics', leaves: [
        leaf('Printers', 'Printer|Laser Printer|Label Printer', 'Wireless|Color|Duplex|Compact', 19_900),
        leaf('Shredders', 'Shredder|Paper Shredder', 'Cross Cut|Micro Cut|Quiet|Heavy Duty', 8_900),
      ] },
    ],
  },
  {
    name: 'Grocery',
    weight: 7,
    brands: ['Harvest Table', 'Golden Mill', 'Blue Valley', 'Cocoa Craft', 'Olivar'],
    groups: [
      { name: 'Coffee & Tea', leaves: [
        leaf('Coffee Beans', 'Coffee Beans|Ground Coffee|Espresso Beans', 'Organic|Dark Roast|Single Origin|Decaf', 1_600),
        leaf('Tea', 'Green Tea|Black Tea|Herbal Tea|Matcha', 'Organic|Loose Leaf|Earl Grey|Chai', 1_200),
      ] },
      { name: 'Snacks', leaves: [
        leaf('Chips', 'Chips|Crackers|Pretzels', 'Sea Salt|Spicy|Baked|Family Size', 500),
        leaf('Chocolate', 'Chocolate Bar|Truffles|Cocoa', 'Dark|Milk|Hazelnut|Salted Caramel', 700),
      ] },
      { name: 'Pantry', leaves: [
        leaf('Olive Oil', 'Olive Oil|Vinegar', 'Extra Virgin|Cold Pressed|Balsamic|Organic', 1_800),
        leaf('Pasta', 'Pasta|Spaghetti|Penne', 'Whole Wheat|Gluten Free|Bronze Cut|Organic', 500),
      ] },
    ],
  },
];

export const COLORS = ['Black', 'White', 'Silver', 'Navy', 'Red', 'Green', 'Grey', 'Blue', 'Beige', 'Olive', 'Pink', 'Charcoal'];

/** The warehouses seeded products are stocked in. */
export const SEED_WAREHOUSES = [
  { name: 'seed-us-east', region: 'us-east' },
  { name: 'seed-us-west', region: 'us-west' },
  { name: 'seed-us-central', region: 'us-central' },
  { name: 'seed-eu-west', region: 'eu-west' },
] as const;
