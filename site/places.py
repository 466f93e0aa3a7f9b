"""Where someone lives, as the police forces that cover it.

People know their postcode or their town, not the names of 45 police forces. This module
turns a postcode (full "LS6 3AB", outward "LS6" or area "LS"), a town ("Leeds") or a
region ("West Yorkshire", "Wales") into the slugs of the forces that cover it. It is pure
data built once at import: no database, no network.

Exactness is to the force, not the street: a postcode area that straddles forces lists
each, and where it is known which districts lie in which force, a district gets only its
own (LS6 is West Yorkshire's; LS24, Tadcaster, is North Yorkshire's). A district on a
boundary gets every force it touches, as people near a boundary care about both sides.
British Transport Police covers the railways, not a place, so no place maps to it.
"""

import re
import unicodedata
from dataclasses import dataclass

# One line per postcode area: "AREA Post town: force districts | force districts".
# A force with "*" covers every district that no force lists by number; a district
# listed under several forces straddles them; "4-9" is a range of districts. A line
# starting "    |" goes on with the area above.
POSTCODE_AREAS = """
AB Aberdeen: police-scotland *
AL St Albans: hertfordshire-constabulary *
B Birmingham: west-midlands-police * 45 74 78 94 | warwickshire-police 46 49 50 78 80 94 95
    | west-mercia-police 45 47 48 60 61 96-98 | staffordshire-police 74 77-79
BA Bath: avon-and-somerset-constabulary * 22 | wiltshire-police 12-15 | dorset-police 22
BB Blackburn: lancashire-constabulary *
BD Bradford: west-yorkshire-police * 20 | north-yorkshire-police 20 23 24
BH Bournemouth: dorset-police * 23 | hampshire-and-isle-of-wight-constabulary 23-25
BL Bolton: greater-manchester-police * | lancashire-constabulary 0
BN Brighton: sussex-police *
BR Bromley: metropolitan-police-service * | kent-police 8
BS Bristol: avon-and-somerset-constabulary *
BT Belfast: police-service-of-northern-ireland *
CA Carlisle: cumbria-constabulary * | northumbria-police 8 9
CB Cambridge: cambridgeshire-constabulary * 8 | suffolk-constabulary 8 9 | essex-police 9-11
CF Cardiff: south-wales-police * 46 | gwent-police 46 81-83
CH Chester: cheshire-constabulary * 4 | north-wales-police 4-8 | merseyside-police 25-34 41-63
CM Chelmsford: essex-police * 22 | hertfordshire-constabulary 21-23
CO Colchester: essex-police * 6 7 10 11 | suffolk-constabulary 6 7 10 11
CR Croydon: metropolitan-police-service * 5 | surrey-police 3 5 6
CT Canterbury: kent-police *
CV Coventry: west-midlands-police * 7 | warwickshire-police 7-12 21-23 31-37 47
    | leicestershire-police 9 13
CW Crewe: cheshire-constabulary * 3 | staffordshire-police 3 | west-mercia-police 3
DA Dartford: kent-police * 1 | metropolitan-police-service 1 5-8 14-18
DD Dundee: police-scotland *
DE Derby: derbyshire-constabulary * 6 11 12 73 74 | staffordshire-police 6 13-15
    | leicestershire-police 11 12 73 74
DG Dumfries: police-scotland *
DH Durham: durham-constabulary * 3 4 | northumbria-police 3-5
DL Darlington: durham-constabulary * 2 | north-yorkshire-police 2 6-11
DN Doncaster: south-yorkshire-police * 6 9-11 | humberside-police 9 14-20 31-41
    | lincolnshire-police 21 36 | nottinghamshire-police 10 11 22 | north-yorkshire-police 6 14
DT Dorchester: dorset-police * 7 | devon-and-cornwall-police 7
DY Dudley: west-midlands-police * 3 9 | west-mercia-police 9-14 | staffordshire-police 3 7
E East London: metropolitan-police-service * 1 4 | city-of-london-police 1 | essex-police 4
EC Central London: city-of-london-police * | metropolitan-police-service *
EH Edinburgh: police-scotland *
EN Enfield: hertfordshire-constabulary * | metropolitan-police-service 1-5 | essex-police 9
EX Exeter: devon-and-cornwall-police *
FK Falkirk: police-scotland *
FY Blackpool: lancashire-constabulary *
G Glasgow: police-scotland *
GL Gloucester: gloucestershire-constabulary * 7-9 12 19 20 55 56
    | avon-and-somerset-constabulary 9 12 | wiltshire-police 8 | thames-valley-police 7 56
    | west-mercia-police 19 20 | warwickshire-police 55 56
GU Guildford: surrey-police * 10 12 26 27
    | hampshire-and-isle-of-wight-constabulary 10-14 17 26 30-35 46 51 52
    | sussex-police 27-29 31 | thames-valley-police 47
HA Harrow: metropolitan-police-service *
HD Huddersfield: west-yorkshire-police *
HG Harrogate: north-yorkshire-police *
HP Hemel Hempstead: thames-valley-police * 23 | hertfordshire-constabulary 1-4 23
HR Hereford: west-mercia-police * 3 5 9 | dyfed-powys-police 3 5
    | gloucestershire-constabulary 9
HS Outer Hebrides: police-scotland *
HU Hull: humberside-police *
HX Halifax: west-yorkshire-police *
IG Ilford: metropolitan-police-service * 7 | essex-police 7 9 10
IP Ipswich: suffolk-constabulary * 20-22 24 27 | norfolk-constabulary 20-22 24-27
IV Inverness: police-scotland *
KA Kilmarnock: police-scotland *
KT Kingston upon Thames: metropolitan-police-service * 4 6 17 19 | surrey-police 4 6-8 10-24
KW Kirkwall: police-scotland *
KY Kirkcaldy: police-scotland *
L Liverpool: merseyside-police * 24 | lancashire-constabulary 39 40 | cheshire-constabulary 24
LA Lancaster: lancashire-constabulary * 2 5 6 | cumbria-constabulary 5-23
    | north-yorkshire-police 2 6
LD Llandrindod Wells: dyfed-powys-police * 7 8 | west-mercia-police 7 8
LE Leicester: leicestershire-police * 10 12 14 16 17 | northamptonshire-police 16 17
    | nottinghamshire-police 12 14 | warwickshire-police 10 17
LL Llandudno: north-wales-police *
LN Lincoln: lincolnshire-police *
LS Leeds: west-yorkshire-police * 21 22 25 | north-yorkshire-police 21 22 24 25
LU Luton: bedfordshire-police * 2 6 7 | hertfordshire-constabulary 2 | thames-valley-police 6 7
M Manchester: greater-manchester-police *
ME Medway: kent-police *
MK Milton Keynes: thames-valley-police * 17 19 | bedfordshire-police 17 40-45
    | northamptonshire-police 19
ML Motherwell: police-scotland *
N North London: metropolitan-police-service *
NE Newcastle upon Tyne: northumbria-police *
NG Nottingham: nottinghamshire-police * 13 16 19 20 | derbyshire-constabulary 10 16 19 20
    | leicestershire-police 13 32 | lincolnshire-police 31-34
NN Northampton: northamptonshire-police * 13 29 | bedfordshire-police 29
    | thames-valley-police 13
NP Newport: gwent-police * 16 25 | dyfed-powys-police 8 | gloucestershire-constabulary 16
    | west-mercia-police 25
NR Norwich: norfolk-constabulary * 34 35 | suffolk-constabulary 32-35
NW North West London: metropolitan-police-service *
OL Oldham: greater-manchester-police * 12 | west-yorkshire-police 14
    | lancashire-constabulary 12 13
OX Oxford: thames-valley-police * 17 | northamptonshire-police 17
PA Paisley: police-scotland *
PE Peterborough: cambridgeshire-constabulary * 6 8 9 13 14 | lincolnshire-police 6 9-12 20-25
    | norfolk-constabulary 13 14 30-38 | northamptonshire-police 8 | leicestershire-police 9
PH Perth: police-scotland *
PL Plymouth: devon-and-cornwall-police *
PO Portsmouth: hampshire-and-isle-of-wight-constabulary * 10 | sussex-police 10 18-22
PR Preston: lancashire-constabulary * 9 | merseyside-police 8 9
RG Reading: thames-valley-police * 7 17 20 26 | hampshire-and-isle-of-wight-constabulary 7 20-29
    | wiltshire-police 17
RH Redhill: surrey-police * 6 12 19 | sussex-police 6 10-20
RM Romford: metropolitan-police-service * 4 14 | essex-police 4 14-20
S Sheffield: south-yorkshire-police * 81 | derbyshire-constabulary 18 21 32 33 40-45
    | nottinghamshire-police 80 81
SA Swansea: south-wales-police * 4 9 18 | dyfed-powys-police 4 9 14-48 61-73
SE South East London: metropolitan-police-service *
SG Stevenage: hertfordshire-constabulary * 5 8 | bedfordshire-police 5 15-19
    | cambridgeshire-constabulary 8 19
SK Stockport: greater-manchester-police * | cheshire-constabulary 9-12 23
    | derbyshire-constabulary 13 17 22 23 | staffordshire-police 17
SL Slough: thames-valley-police *
SM Sutton: metropolitan-police-service * | surrey-police 7
SN Swindon: wiltshire-police * 6 14 | thames-valley-police 6 7
    | avon-and-somerset-constabulary 14
SO Southampton: hampshire-and-isle-of-wight-constabulary *
SP Salisbury: wiltshire-police * 5 7 9 11 | hampshire-and-isle-of-wight-constabulary 5 6 9-11
    | dorset-police 5 7 8
SR Sunderland: northumbria-police * | durham-constabulary 7 8
SS Southend-on-Sea: essex-police *
ST Stoke-on-Trent: staffordshire-police * 7 | cheshire-constabulary 7
SW South West London: metropolitan-police-service *
SY Shrewsbury: west-mercia-police * 10 13 | dyfed-powys-police 10 15-25
    | north-wales-police 13 14 20 | cheshire-constabulary 13 14
TA Taunton: avon-and-somerset-constabulary * 18 20-22 | devon-and-cornwall-police 21 22
    | dorset-police 18 20
TD Galashiels: police-scotland * 12 | northumbria-police 12 15
TF Telford: west-mercia-police * 9 | staffordshire-police 9
TN Tonbridge: kent-police * 3 5 14 16 18 | sussex-police 3 5-7 18-22 31-40
    | metropolitan-police-service 14 16 | surrey-police 16
TQ Torquay: devon-and-cornwall-police *
TR Truro: devon-and-cornwall-police *
TS Cleveland: cleveland-police * 13 15 21 27 | durham-constabulary 21 27-29
    | north-yorkshire-police 9 13 15
TW Twickenham: metropolitan-police-service * | surrey-police 15-20 | thames-valley-police 19
UB Southall: metropolitan-police-service * 9 | thames-valley-police 9
W West London: metropolitan-police-service *
WA Warrington: cheshire-constabulary * 3 15 | greater-manchester-police 3 14 15
    | merseyside-police 9-12
WC Western Central London: metropolitan-police-service *
WD Watford: hertfordshire-constabulary * 3 | thames-valley-police 3
WF Wakefield: west-yorkshire-police * 11 | north-yorkshire-police 11
WN Wigan: greater-manchester-police * 5 6 | lancashire-constabulary 6 8 | merseyside-police 5
WR Worcester: west-mercia-police * 12 | gloucestershire-constabulary 12
WS Walsall: west-midlands-police * 9 | staffordshire-police 6 7 9 11-15
WV Wolverhampton: west-midlands-police * 6 9-11 | staffordshire-police 5 6 8-11
    | west-mercia-police 7 15 16
YO York: north-yorkshire-police * 41 | humberside-police 15 16 25 41-43
ZE Shetland: police-scotland *
"""

# Crown dependencies have postcodes but their own police, outside the UK's forces.
NO_UK_FORCE = {"GY": "Guernsey", "JE": "Jersey", "IM": "Isle of Man"}

# Towns, cities, London boroughs, counties and regions, by force. A name under several
# forces maps to all of them (a region that spans forces, or two towns of one name).
PLACES_BY_FORCE = {
    "avon-and-somerset-constabulary": (
        "Bristol, Bath, Weston-super-Mare, Taunton, Yeovil, Bridgwater, Frome, Wells, "
        "Glastonbury, Street, Chard, Minehead, Burnham-on-Sea, Clevedon, Portishead, "
        "Nailsea, Keynsham, Shepton Mallet, Midsomer Norton, Radstock, Yate, Thornbury, "
        "Kingswood, Wellington, Crewkerne, Somerton, Avon, Somerset, North Somerset, Bath "
        "and North East Somerset, South Gloucestershire, Exmoor, South West England"
    ),
    "bedfordshire-police": (
        "Luton, Bedford, Dunstable, Leighton Buzzard, Biggleswade, Houghton Regis, "
        "Flitwick, Sandy, Ampthill, Kempston, Shefford, Stotfold, Arlesey, Cranfield, "
        "Bedfordshire, Central Bedfordshire, East of England"
    ),
    "cambridgeshire-constabulary": (
        "Cambridge, Peterborough, Huntingdon, St Neots, Wisbech, Ely, March, St Ives, "
        "Whittlesey, Chatteris, Soham, Ramsey, Cambourne, Sawston, Littleport, "
        "Cambridgeshire, East Anglia, East of England"
    ),
    "cheshire-constabulary": (
        "Chester, Warrington, Crewe, Macclesfield, Widnes, Runcorn, Ellesmere Port, "
        "Northwich, Wilmslow, Congleton, Nantwich, Winsford, Knutsford, Sandbach, Alsager, "
        "Middlewich, Poynton, Frodsham, Neston, Halton, Cheshire, Cheshire East, Cheshire "
        "West and Chester, North West England"
    ),
    "city-of-london-police": ("City of London, The City, London, Greater London"),
    "cleveland-police": (
        "Middlesbrough, Hartlepool, Stockton-on-Tees, Stockton, Redcar, Billingham, "
        "Guisborough, Thornaby, Saltburn-by-the-Sea, Yarm, Cleveland, Teesside, Redcar and "
        "Cleveland, North East England"
    ),
    "cumbria-constabulary": (
        "Carlisle, Barrow-in-Furness, Kendal, Workington, Whitehaven, Penrith, Keswick, "
        "Windermere, Ulverston, Cockermouth, Maryport, Ambleside, Cumbria, Cumberland, "
        "Westmorland, Lake District, North West England"
    ),
    "derbyshire-constabulary": (
        "Derby, Chesterfield, Ilkeston, Long Eaton, Swadlincote, Buxton, Glossop, Matlock, "
        "Belper, Ripley, Alfreton, Ashbourne, Dronfield, Heanor, Bolsover, Bakewell, "
        "Staveley, Clay Cross, New Mills, Derbyshire, Peak District, East Midlands"
    ),
    "devon-and-cornwall-police": (
        "Plymouth, Exeter, Torquay, Paignton, Torbay, Truro, Barnstaple, Newquay, Falmouth, "
        "Penzance, St Austell, Exmouth, Newton Abbot, Tiverton, Bideford, Bodmin, Camborne, "
        "Redruth, St Ives, Launceston, Okehampton, Tavistock, Totnes, Brixham, Dartmouth, "
        "Honiton, Sidmouth, Teignmouth, Dawlish, Ilfracombe, Liskeard, Saltash, Bude, "
        "Helston, Devon, Cornwall, Isles of Scilly, Dartmoor, Exmoor, South West England"
    ),
    "dorset-police": (
        "Bournemouth, Poole, Christchurch, Weymouth, Dorchester, Bridport, Blandford Forum, "
        "Ferndown, Wimborne Minster, Wimborne, Swanage, Sherborne, Shaftesbury, Gillingham, "
        "Lyme Regis, Portland, Wareham, Verwood, Dorset, Bournemouth Christchurch and "
        "Poole, South West England"
    ),
    "durham-constabulary": (
        "Durham, Darlington, Bishop Auckland, Chester-le-Street, Consett, Newton Aycliffe, "
        "Peterlee, Seaham, Stanley, Spennymoor, Barnard Castle, Crook, Ferryhill, Shildon, "
        "County Durham, North East England"
    ),
    "essex-police": (
        "Chelmsford, Colchester, Southend-on-Sea, Southend, Basildon, Harlow, Brentwood, "
        "Braintree, Grays, Clacton-on-Sea, Clacton, Billericay, Wickford, Witham, Rayleigh, "
        "Canvey Island, Loughton, Epping, Maldon, Harwich, Saffron Walden, Chigwell, "
        "Waltham Abbey, Leigh-on-Sea, Benfleet, Great Dunmow, Halstead, Burnham-on-Crouch, "
        "Frinton-on-Sea, Walton-on-the-Naze, Tilbury, Stanford-le-Hope, Buckhurst Hill, "
        "Rochford, Shoeburyness, Coggeshall, Essex, Thurrock, East of England"
    ),
    "gloucestershire-constabulary": (
        "Gloucester, Cheltenham, Stroud, Tewkesbury, Cirencester, Cinderford, Coleford, "
        "Lydney, Dursley, Stow-on-the-Wold, Chipping Campden, Gloucestershire, Forest of "
        "Dean, Cotswolds, South West England"
    ),
    "greater-manchester-police": (
        "Manchester, Salford, Bolton, Stockport, Oldham, Rochdale, Wigan, Bury, Trafford, "
        "Tameside, Altrincham, Sale, Stretford, Ashton-under-Lyne, Leigh, Hyde, "
        "Stalybridge, Middleton, Heywood, Radcliffe, Prestwich, Eccles, Swinton, Urmston, "
        "Denton, Cheadle, Hazel Grove, Atherton, Westhoughton, Farnworth, Droylsden, "
        "Wythenshawe, Ramsbottom, Greater Manchester, North West England"
    ),
    "hampshire-and-isle-of-wight-constabulary": (
        "Southampton, Portsmouth, Southsea, Basingstoke, Winchester, Eastleigh, Aldershot, "
        "Farnborough, Fareham, Gosport, Havant, Waterlooville, Andover, Fleet, Romsey, "
        "Petersfield, Alton, Lymington, New Milton, Ringwood, Totton, Hedge End, Emsworth, "
        "Whiteley, Bordon, Newport, Ryde, Cowes, Sandown, Shanklin, Ventnor, Hampshire, "
        "Isle of Wight, New Forest, South East England"
    ),
    "hertfordshire-constabulary": (
        "St Albans, Watford, Stevenage, Hemel Hempstead, Hertford, Hitchin, Letchworth, "
        "Letchworth Garden City, Welwyn Garden City, Hatfield, Harpenden, Bishop's "
        "Stortford, Berkhamsted, Borehamwood, Cheshunt, Hoddesdon, Rickmansworth, Bushey, "
        "Potters Bar, Royston, Ware, Tring, Baldock, Sawbridgeworth, Radlett, Broxbourne, "
        "Chorleywood, Hertfordshire, East of England"
    ),
    "humberside-police": (
        "Hull, Kingston upon Hull, Grimsby, Scunthorpe, Cleethorpes, Bridlington, Beverley, "
        "Goole, Immingham, Driffield, Brigg, Barton-upon-Humber, Hornsea, Withernsea, "
        "Howden, Humberside, East Riding of Yorkshire, East Riding, East Yorkshire, North "
        "Lincolnshire, North East Lincolnshire, Lincolnshire, Yorkshire, Yorkshire and the "
        "Humber"
    ),
    "kent-police": (
        "Maidstone, Canterbury, Dartford, Gravesend, Chatham, Rochester, Gillingham, "
        "Ashford, Folkestone, Dover, Margate, Ramsgate, Broadstairs, Tunbridge Wells, Royal "
        "Tunbridge Wells, Tonbridge, Sevenoaks, Sittingbourne, Faversham, Herne Bay, "
        "Whitstable, Deal, Sandwich, Swanley, Hythe, Tenterden, Sheerness, Westerham, "
        "Edenbridge, Cranbrook, Snodland, West Malling, Strood, Swanscombe, New Romney, "
        "Kent, Medway, South East England"
    ),
    "lancashire-constabulary": (
        "Preston, Blackpool, Blackburn, Burnley, Lancaster, Morecambe, Chorley, Accrington, "
        "Lytham St Annes, St Annes, Fleetwood, Leyland, Skelmersdale, Ormskirk, Nelson, "
        "Colne, Darwen, Clitheroe, Rawtenstall, Thornton-Cleveleys, Poulton-le-Fylde, "
        "Carnforth, Garstang, Lancashire, North West England"
    ),
    "leicestershire-police": (
        "Leicester, Loughborough, Hinckley, Coalville, Melton Mowbray, Market Harborough, "
        "Wigston, Oadby, Lutterworth, Ashby-de-la-Zouch, Oakham, Uppingham, Leicestershire, "
        "Rutland, East Midlands"
    ),
    "lincolnshire-police": (
        "Lincoln, Boston, Grantham, Spalding, Skegness, Stamford, Gainsborough, Sleaford, "
        "Louth, Bourne, Market Rasen, Mablethorpe, Horncastle, Lincolnshire, East Midlands"
    ),
    "merseyside-police": (
        "Liverpool, Birkenhead, St Helens, Southport, Bootle, Wallasey, Wirral, Sefton, "
        "Knowsley, Kirkby, Huyton, Crosby, Prescot, Formby, Maghull, Heswall, Hoylake, "
        "Newton-le-Willows, Merseyside, North West England"
    ),
    "metropolitan-police-service": (
        "London, Greater London, Barking and Dagenham, Barnet, Bexley, Brent, Bromley, "
        "Camden, Croydon, Ealing, Enfield, Greenwich, Hackney, Hammersmith and Fulham, "
        "Haringey, Harrow, Havering, Hillingdon, Hounslow, Islington, Kensington and "
        "Chelsea, Kingston upon Thames, Lambeth, Lewisham, Merton, Newham, Redbridge, "
        "Richmond upon Thames, Southwark, Sutton, Tower Hamlets, Waltham Forest, "
        "Wandsworth, Westminster, City of Westminster, Kingston, Richmond, Hammersmith, "
        "Fulham, Kensington, Chelsea, Barking, Dagenham, Romford, Ilford, Uxbridge, "
        "Wembley, Stratford, Walthamstow, Woolwich, Brixton, Peckham, Tottenham, Wimbledon, "
        "Twickenham, Edgware, Orpington, Sidcup, Bexleyheath, Acton, Southall, Hendon, "
        "Finchley, Hampstead, Hornchurch, Chingford, Leyton, Deptford, Catford, Streatham, "
        "Clapham, Battersea, Putney, Holloway, Wood Green, Enfield Town, Harlesden, "
        "Willesden, Kilburn, Notting Hill, Soho, Mayfair"
    ),
    "norfolk-constabulary": (
        "Norwich, Great Yarmouth, King's Lynn, Thetford, Dereham, Cromer, Wymondham, Diss, "
        "Fakenham, Swaffham, North Walsham, Downham Market, Attleborough, Sheringham, "
        "Hunstanton, Wells-next-the-Sea, Aylsham, Watton, Gorleston, Norfolk, The Broads, "
        "East Anglia, East of England"
    ),
    "north-yorkshire-police": (
        "York, Harrogate, Scarborough, Northallerton, Selby, Ripon, Skipton, Whitby, "
        "Thirsk, Knaresborough, Richmond, Malton, Settle, Catterick, Pickering, Tadcaster, "
        "North Yorkshire, Yorkshire Dales, North York Moors, Yorkshire, Yorkshire and the "
        "Humber"
    ),
    "northamptonshire-police": (
        "Northampton, Kettering, Corby, Wellingborough, Daventry, Rushden, Brackley, "
        "Towcester, Oundle, Raunds, Northamptonshire, North Northamptonshire, West "
        "Northamptonshire, East Midlands"
    ),
    "northumbria-police": (
        "Newcastle upon Tyne, Newcastle, Sunderland, Gateshead, South Shields, North "
        "Shields, Tynemouth, Whitley Bay, Wallsend, Jarrow, Washington, Blyth, Cramlington, "
        "Ashington, Morpeth, Hexham, Berwick-upon-Tweed, Alnwick, Houghton-le-Spring, "
        "Prudhoe, Northumberland, Tyne and Wear, Tyneside, North East England"
    ),
    "nottinghamshire-police": (
        "Nottingham, Mansfield, Worksop, Newark-on-Trent, Newark, Retford, Beeston, Arnold, "
        "Carlton, West Bridgford, Hucknall, Sutton-in-Ashfield, Kirkby-in-Ashfield, "
        "Eastwood, Bingham, Southwell, Stapleford, Nottinghamshire, East Midlands"
    ),
    "south-yorkshire-police": (
        "Sheffield, Rotherham, Doncaster, Barnsley, Mexborough, Wath-upon-Dearne, Maltby, "
        "Stocksbridge, Penistone, South Yorkshire, Yorkshire, Yorkshire and the Humber"
    ),
    "staffordshire-police": (
        "Stoke-on-Trent, Stoke, Stafford, Newcastle-under-Lyme, Burton upon Trent, "
        "Burton-on-Trent, Burton, Tamworth, Lichfield, Cannock, Leek, Uttoxeter, Rugeley, "
        "Stone, Kidsgrove, Hanley, Burslem, Longton, Biddulph, Burntwood, Staffordshire, "
        "Peak District"
    ),
    "suffolk-constabulary": (
        "Ipswich, Lowestoft, Bury St Edmunds, Felixstowe, Sudbury, Haverhill, Newmarket, "
        "Stowmarket, Woodbridge, Beccles, Bungay, Mildenhall, Southwold, Aldeburgh, "
        "Halesworth, Hadleigh, Leiston, Brandon, Saxmundham, Eye, Suffolk, East Anglia, "
        "East of England"
    ),
    "surrey-police": (
        "Guildford, Woking, Epsom, Redhill, Reigate, Staines, Staines-upon-Thames, "
        "Camberley, Farnham, Godalming, Leatherhead, Dorking, Esher, Weybridge, "
        "Walton-on-Thames, Caterham, Oxted, Haslemere, Egham, Sunbury-on-Thames, "
        "Shepperton, Addlestone, Chertsey, Cobham, Cranleigh, Banstead, Horley, Ewell, "
        "Frimley, Ash, Lingfield, Virginia Water, Warlingham, Molesey, East Molesey, "
        "Surrey, South East England"
    ),
    "sussex-police": (
        "Brighton, Hove, Brighton and Hove, Crawley, Worthing, Eastbourne, Hastings, Bognor "
        "Regis, Chichester, Horsham, Haywards Heath, Burgess Hill, Lewes, Littlehampton, "
        "East Grinstead, Bexhill-on-Sea, Bexhill, Seaford, Shoreham-by-Sea, Uckfield, "
        "Crowborough, Newhaven, Hailsham, Peacehaven, Rye, Battle, Midhurst, Arundel, "
        "Petworth, Heathfield, Lancing, Steyning, Pulborough, Storrington, Selsey, Sussex, "
        "East Sussex, West Sussex, South East England"
    ),
    "thames-valley-police": (
        "Oxford, Reading, Milton Keynes, Slough, High Wycombe, Aylesbury, Banbury, "
        "Bracknell, Maidenhead, Windsor, Wokingham, Newbury, Bicester, Abingdon, Didcot, "
        "Witney, Henley-on-Thames, Marlow, Amersham, Chesham, Beaconsfield, Buckingham, "
        "Thame, Wantage, Kidlington, Wallingford, Sandhurst, Ascot, Eton, Carterton, "
        "Thatcham, Hungerford, Bletchley, Princes Risborough, Gerrards Cross, Thames "
        "Valley, Oxfordshire, Berkshire, Buckinghamshire, South East England"
    ),
    "warwickshire-police": (
        "Nuneaton, Rugby, Leamington Spa, Royal Leamington Spa, Leamington, Warwick, "
        "Stratford-upon-Avon, Bedworth, Kenilworth, Atherstone, Alcester, "
        "Shipston-on-Stour, Southam, Coleshill, Polesworth, Warwickshire"
    ),
    "west-mercia-police": (
        "Worcester, Shrewsbury, Hereford, Telford, Kidderminster, Redditch, Bromsgrove, "
        "Malvern, Evesham, Oswestry, Ludlow, Bridgnorth, Droitwich, Droitwich Spa, Market "
        "Drayton, Ross-on-Wye, Leominster, Ledbury, Stourport-on-Severn, Pershore, Bewdley, "
        "Wellington, West Mercia, Worcestershire, Herefordshire, Shropshire, Telford and "
        "Wrekin"
    ),
    "west-midlands-police": (
        "Birmingham, Coventry, Wolverhampton, Dudley, Walsall, Solihull, West Bromwich, "
        "Sutton Coldfield, Sandwell, Halesowen, Stourbridge, Smethwick, Oldbury, "
        "Wednesbury, Willenhall, Bilston, Brierley Hill, Rowley Regis, Tipton, Aldridge, "
        "Brownhills, Kingswinford, West Midlands, Black Country"
    ),
    "west-yorkshire-police": (
        "Leeds, Bradford, Wakefield, Huddersfield, Halifax, Dewsbury, Keighley, Batley, "
        "Castleford, Pontefract, Brighouse, Morley, Pudsey, Shipley, Ilkley, Otley, "
        "Wetherby, Todmorden, Hebden Bridge, Ossett, Featherstone, Normanton, Bingley, "
        "Holmfirth, Mirfield, Heckmondwike, West Yorkshire, Kirklees, Calderdale, "
        "Yorkshire, Yorkshire and the Humber"
    ),
    "wiltshire-police": (
        "Swindon, Salisbury, Chippenham, Trowbridge, Devizes, Marlborough, Melksham, "
        "Warminster, Calne, Corsham, Bradford-on-Avon, Westbury, Malmesbury, Amesbury, "
        "Tidworth, Royal Wootton Bassett, Wootton Bassett, Wiltshire, Salisbury Plain, "
        "Cotswolds, South West England"
    ),
    "dyfed-powys-police": (
        "Carmarthen, Llanelli, Aberystwyth, Haverfordwest, Pembroke, Pembroke Dock, Milford "
        "Haven, Tenby, Fishguard, Cardigan, Lampeter, Newtown, Welshpool, Brecon, "
        "Llandrindod Wells, Builth Wells, Machynlleth, Llandovery, Ammanford, Burry Port, "
        "Kidwelly, St Davids, Narberth, Llanidloes, Knighton, Presteigne, Crickhowell, "
        "Hay-on-Wye, Ystradgynlais, Aberaeron, Dyfed, Powys, Ceredigion, Pembrokeshire, "
        "Carmarthenshire, Mid Wales, West Wales, Wales"
    ),
    "gwent-police": (
        "Newport, Cwmbran, Caerphilly, Pontypool, Ebbw Vale, Abergavenny, Monmouth, "
        "Chepstow, Blackwood, Tredegar, Abertillery, Bargoed, Ystrad Mynach, Risca, "
        "Brynmawr, Usk, Caldicot, Blaenavon, Gwent, Monmouthshire, Torfaen, Blaenau Gwent, "
        "South Wales, Wales"
    ),
    "north-wales-police": (
        "Wrexham, Bangor, Rhyl, Llandudno, Colwyn Bay, Caernarfon, Holyhead, Prestatyn, "
        "Mold, Flint, Conwy, Denbigh, Ruthin, Llangollen, Abergele, Buckley, Connah's Quay, "
        "Shotton, Holywell, Pwllheli, Porthmadog, Blaenau Ffestiniog, Bala, Dolgellau, "
        "Barmouth, Tywyn, Llangefni, Menai Bridge, Beaumaris, Betws-y-Coed, Deeside, Chirk, "
        "Corwen, Amlwch, Gwynedd, Anglesey, Ynys Môn, Denbighshire, Flintshire, Snowdonia, "
        "Eryri, North Wales, Wales"
    ),
    "south-wales-police": (
        "Cardiff, Swansea, Bridgend, Neath, Port Talbot, Merthyr Tydfil, Merthyr, Barry, "
        "Pontypridd, Aberdare, Porthcawl, Penarth, Llantwit Major, Maesteg, Cowbridge, "
        "Mountain Ash, Tonypandy, Treorchy, Ferndale, Rhondda, Gorseinon, Mumbles, "
        "Llantrisant, Gower, Glamorgan, Vale of Glamorgan, Rhondda Cynon Taf, Neath Port "
        "Talbot, South Wales, Wales"
    ),
    "police-scotland": (
        "Glasgow, Edinburgh, Aberdeen, Dundee, Inverness, Perth, Stirling, Paisley, East "
        "Kilbride, Livingston, Hamilton, Cumbernauld, Kirkcaldy, Dunfermline, Ayr, "
        "Kilmarnock, Greenock, Coatbridge, Glenrothes, Airdrie, Falkirk, Motherwell, "
        "Irvine, Dumfries, St Andrews, Arbroath, Elgin, Oban, Fort William, Wick, Thurso, "
        "Kirkwall, Lerwick, Stornoway, Peterhead, Fraserburgh, Montrose, Forfar, "
        "Galashiels, Hawick, Musselburgh, Bathgate, Dumbarton, Clydebank, Rutherglen, "
        "Wishaw, Bearsden, Stranraer, Portree, Aviemore, Dingwall, Alloa, Kelso, Peebles, "
        "Grangemouth, Largs, Scotland, Highlands, Highland, Scottish Borders, Fife, "
        "Lothian, Orkney, Shetland, Western Isles, Outer Hebrides, Argyll, Argyll and Bute, "
        "Ayrshire, Lanarkshire, Aberdeenshire, Angus, Moray, Perthshire, Dumfries and "
        "Galloway, Galloway, Isle of Skye, Skye, Arran, Islay"
    ),
    "police-service-of-northern-ireland": (
        "Belfast, Derry, Londonderry, Lisburn, Newry, Bangor, Craigavon, Newtownabbey, "
        "Ballymena, Newtownards, Carrickfergus, Coleraine, Omagh, Enniskillen, Larne, "
        "Armagh, Antrim, Banbridge, Lurgan, Portadown, Dungannon, Strabane, Limavady, "
        "Downpatrick, Cookstown, Ballymoney, Holywood, Portrush, Magherafelt, Northern "
        "Ireland, County Antrim, County Down, County Armagh, County Tyrone, Tyrone, County "
        "Fermanagh, Fermanagh, County Londonderry"
    ),
}


@dataclass(frozen=True)
class Place:
    """A place as understood: how to say it back, and the forces that cover it."""

    label: str  # "LS6 (Leeds)", "Leeds", "Wales"
    force_slugs: tuple[str, ...]  # empty for somewhere no UK force covers (Jersey)


def name_key(text: str) -> str:
    """Letters and digits only, so "St. Helens", "Saint Helens" and "st helens" agree."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bsaint\b", "st", text.replace("&", " and "))
    return re.sub(r"^the\b|[^a-z0-9]", "", text)


def _parse_districts(spec: str) -> tuple[bool, set[int]]:
    covers_rest, districts = False, set()
    for part in spec.split():
        if part == "*":
            covers_rest = True
        else:
            first, _, last = part.partition("-")
            districts.update(range(int(first), int(last or first) + 1))
    return covers_rest, districts


def _parse_areas(text: str) -> dict[str, tuple[str, dict[str, tuple[bool, set[int]]]]]:
    areas = {}
    for line in text.strip().replace("\n    |", " |").splitlines():
        head, _, forces = line.partition(":")
        area, _, town = head.partition(" ")
        areas[area] = (
            town,
            {
                slug: _parse_districts(spec)
                for slug, _, spec in (part.strip().partition(" ") for part in forces.split("|"))
            },
        )
    return areas


AREAS = _parse_areas(POSTCODE_AREAS)
_NAMES: dict[str, tuple[str, list[str]]] = {}
for _slug, _names in PLACES_BY_FORCE.items():
    for _name in (name.strip() for name in _names.split(",")):
        _slugs = _NAMES.setdefault(name_key(_name), (_name, []))[1]
        if _slug not in _slugs:
            _slugs.append(_slug)

# A postcode with or without its inward part ("LS6 3AB", "LS6"); the district may end
# in a letter (SW1A, EC2M, W1D).
_POSTCODE = re.compile(r"^([A-Z]{1,2})(\d{1,2}|\d[A-Z])(\d[A-Z]{2})?$")


def area_force_slugs(area: str, district: int | None = None) -> tuple[str, ...]:
    """The forces of a postcode area, or of one of its districts (LS 6 -> West Yorkshire)."""
    forces = AREAS[area][1]
    if district is None:
        return tuple(forces)
    listed = [slug for slug, (_, districts) in forces.items() if district in districts]
    return tuple(listed or [slug for slug, (covers_rest, _) in forces.items() if covers_rest])


def _postcode_place(text: str) -> Place | None:
    compact = re.sub(r"[^A-Z0-9]", "", text.upper())
    if compact in AREAS:
        return Place(f"{compact} ({AREAS[compact][0]})", area_force_slugs(compact))
    if compact in NO_UK_FORCE:
        return Place(NO_UK_FORCE[compact], ())
    match = _POSTCODE.match(compact)
    if not match:
        return None
    area, district = match.group(1), match.group(2)
    outward = area + district
    if area in NO_UK_FORCE:
        return Place(f"{outward} ({NO_UK_FORCE[area]})", ())
    if area not in AREAS:
        return None
    number = int(re.match(r"\d+", district).group())
    return Place(f"{outward} ({AREAS[area][0]})", area_force_slugs(area, number))


def find_place(text: str) -> Place | None:
    """The place meant by a postcode, town or region, or None if we do not know it.

    "Leeds, West Yorkshire" is tried whole, then part by part.
    """
    for candidate in [text, *text.split(",")]:
        if not candidate.strip():
            continue
        place = _postcode_place(candidate)
        if place:
            return place
        named = _NAMES.get(name_key(candidate))
        if named:
            return Place(named[0], tuple(named[1]))
    return None


def forces_for_place(text: str) -> list[str]:
    """Slugs of the forces covering a postcode, town or region; [] when unknown."""
    place = find_place(text)
    return list(place.force_slugs) if place else []


def place_label(text: str) -> str | None:
    """How to say a place back to the person: "LS6 (Leeds)", "Cardiff", "Wales"."""
    place = find_place(text)
    return place.label if place else None
