/**
 * Polish words for the seed generator: warehouses, item names, places, people and company forms.
 * Together they use every Polish letter (ą ć ę ł ń ó ś ź ż and capitals).
 */

// prettier-ignore
export const WAREHOUSES: [string, string, string, string][] = [
	['Łódź', '90-361', 'ul. Piotrkowska 270', 'Magazyn główny Łódź'],
	['Kraków', '30-702', 'ul. Zabłocie 43', 'Magazyn Kraków'],
	['Gdańsk', '80-298', 'ul. Łużycka 8', 'Magazyn Gdańsk'],
	['Poznań', '61-131', 'ul. Gdańska 2', 'Magazyn Poznań'],
	['Wrocław', '53-611', 'ul. Długa 7', 'Magazyn Wrocław'],
];
// prettier-ignore
export const NOUNS = [
	'Łopata ogrodowa', 'Wiertarka udarowa', 'Śruba ocynkowana', 'Żarówka LED', 'Gąbka ścierna', 'Pędzel płaski',
	'Młotek ślusarski', 'Kątownik stalowy', 'Wąż ogrodowy', 'Taśma izolacyjna', 'Klej montażowy', 'Źródło światła',
	'Ćwiek tapicerski', 'Szczotka druciana', 'Łańcuch stalowy', 'Zawór kulowy', 'Wkręt do drewna',
	'Piła łańcuchowa', 'Kołek rozporowy', 'Rękawice robocze', 'Farba emulsyjna', 'Nóż monterski',
	'Drabina aluminiowa', 'Miarka zwijana', 'Poziomica', 'Uszczelka gumowa', 'Przewód miedziany',
	'Gniazdo podwójne', 'Grzejnik olejowy', 'Wkrętarka akumulatorowa', 'Nasadka ćwierćcalowa', 'Świder do betonu',
	'Siekiera rozłupująca', 'Kłódka mosiężna', 'Zaprawa klejowa',
];
// prettier-ignore
export const SIZES = [
	'M6', 'M8', 'M10', '10 mm', '25 mm', '5 m', '15 m', '500 ml', '1 l', '9 W', '1,5 kg', '25 kg', '230 V',
	'rozm. 9', 'rozm. 10',
];
// prettier-ignore
export const SERIES = [
	'Żubr', 'Łoś', 'Dąb', 'Jeż', 'Sęk', 'Kruk', 'Źrebak', 'Ćma', 'Koń', 'Słoń', 'Wilk', 'Ryś',
];
// prettier-ignore
export const CITIES: [string, string][] = [
	['Łódź', '90-001'], ['Kraków', '30-001'], ['Gdańsk', '80-001'], ['Poznań', '60-001'], ['Wrocław', '50-001'],
	['Warszawa', '00-001'], ['Białystok', '15-001'], ['Bydgoszcz', '85-001'], ['Częstochowa', '42-200'],
	['Zielona Góra', '65-001'], ['Rzeszów', '35-001'], ['Kielce', '25-001'], ['Olsztyn', '10-001'],
	['Świnoujście', '72-600'], ['Żyrardów', '96-300'], ['Łomża', '18-400'], ['Ełk', '19-300'],
];
// prettier-ignore
export const STREETS = [
	'ul. Piotrkowska', 'ul. Główna', 'ul. Słoneczna', 'ul. Żeromskiego', 'ul. Kościuszki', 'al. Niepodległości',
	'ul. Świętokrzyska', 'ul. Łąkowa', 'ul. Źródlana', 'ul. Ogrodowa',
];
// prettier-ignore
export const SURNAMES = [
	'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak',
	'Dąbrowski', 'Kozłowski', 'Mazur', 'Krawczyk', 'Grabowski', 'Pawłowski', 'Król', 'Wróbel', 'Stępień',
	'Jabłoński', 'Bąk', 'Sokołowski', 'Kaźmierczak', 'Ziółkowski',
];
// prettier-ignore
export const FIRST_NAMES = [
	'Anna', 'Łukasz', 'Małgorzata', 'Paweł', 'Agnieszka', 'Michał', 'Katarzyna', 'Piotr', 'Żaneta', 'Jędrzej',
	'Zofia', 'Grzegorz',
];
// prettier-ignore
export const FORMS = [
	'Hurtownia', 'P.H.U.', 'Przedsiębiorstwo Handlowe', 'Sklep Żelazny', 'Zakład Usługowy', 'Skład Budowlany',
];
// prettier-ignore
export const SUFFIXES = [
	'Sp. z o.o.', 's.c.', 'Sp. j.', 'S.A.', '',
];
