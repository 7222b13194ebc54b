"""English context rules: pronoun readings, Title Case names, nobility titles."""

from __future__ import annotations

from pathlib import Path

import pytest

import biasaudit


def swapped(text: str) -> str:
    return biasaudit.swap(text, lang="en").text


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # a capitalised pronoun inside a name of a work or band stays
        ("She loved the film Death Becomes Her.", "He loved the film Death Becomes Her."),
        (
            "He renamed the band Dolly Dawn and Her Dawn Patrol.",
            "She renamed the band Dolly Dawn and Her Dawn Patrol.",
        ),
        ("She posed for Muscle & Fitness Hers.", "He posed for Muscle & Fitness Hers."),
        # but not at the start of a sentence, a heading or a quotation
        ("Career His first solo show was a hit.", "Career Her first solo show was a hit."),
        ("The boss noted that His work is quick.", "The boss noted that Her work is quick."),
        ("He said: His work is done.", "She said: Her work is done."),
        # nor when the whole text is written in Title Case
        ("After Completing His School He Left", "After Completing Her School She Left"),
        # an honorific refers to the person; its possessive names an institution
        ("Her Majesty the Queen spoke.", "His Majesty the King spoke."),
        ("He served in Her Majesty's Navy.", "She served in Her Majesty's Navy."),
        # gene and protein names
        ("He studied HER2 and Her-2 in her lab.", "She studied HER2 and Her-2 in his lab."),
    ],
)
def test_pronouns_in_title_case_names(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("He reminded her of her duties.", "She reminded him of his duties."),
        ("They could not represent her effectively.", "They could not represent him effectively."),
        ("There are few actors like her around.", "There are few actresses like him around."),
        ("She lost her wisdom.", "He lost his wisdom."),
        ("He wanted to help her neighbor.", "She wanted to help his neighbor."),
        ("A favourite phrase of his regarding this.", "A favourite phrase of hers regarding this."),
        # a clause opener before her: the possessive of the subject, whatever follows
        ("He left because her back ached.", "She left because his back ached."),
        ("He said that her back was fine.", "She said that his back was fine."),
        # after a causative verb: base verbs and comparatives
        ("He let her enter.", "She let him enter."),
        ("It made her less trusting.", "It made him less trusting."),
        # ditransitive verbs, and words that follow an object
        ("He wished her happy birthday.", "She wished him happy birthday."),
        ("They charged her ten dollars.", "They charged him ten dollars."),
        ("He yelled at her relentlessly.", "She yelled at him relentlessly."),
        ("He offended her instead.", "She offended him instead."),
        ("He worked to pay her debt.", "She worked to pay his debt."),
        # after a perception verb, an -ing word is what she does
        ("They saw her leaving.", "They saw him leaving."),
        ("She made her living as a teacher.", "He made his living as a teacher."),
        # keep: an object before a state, a possessive before a thing
        ("He kept her waiting.", "She kept him waiting."),
        ("They keep her informed.", "They keep him informed."),
        ("She kept her word.", "He kept his word."),
        ("He always keeps his promises.", "She always keeps her promises."),
    ],
)
def test_her_and_his_readings(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("She was Lady of the Manor.", "He was Lord of the Manor."),
        ("Her son, the fifth Lady, wrote books.", "His daughter, the fifth Lord, wrote books."),
        ("She was a lady of leisure.", "He was a gentleman of leisure."),
        ("The Countess of Pembroke died.", "The Earl of Pembroke died."),
        ("The Count of Flanders died.", "The Countess of Flanders died."),
        ("The First Lady spoke.", "The First Gentleman spoke."),
        # a title-only word is a title before a name, of, or another title, or after a
        # determiner; otherwise it is a first name
        ("Earl Spencer and the fifth Earl met.", "Countess Spencer and the fifth Countess met."),
        ("Sam called Earl because he was lost.", "Sam called Earl because she was lost."),
        ("He met Mr. and Mrs. Smith.", "She met Mrs. and Mr. Smith."),
    ],
)
def test_nobility_titles(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # names of works keep their words
        (
            "Her films include Little Women (1994) and The Banger Sisters.",
            "His films include Little Women (1994) and The Banger Sisters.",
        ),
        (
            "She sang in the band Girls Aloud for ten years.",
            "He sang in the band Girls Aloud for ten years.",
        ),
        # names of awards, schools and teams describe the person
        ("She won the film award for Best Actress.", "He won the film award for Best Actor."),
        ("She attended Girls High School in Leeds.", "He attended Boys High School in Leeds."),
        # and a capital alone does not make a name
        ("Her brother, a Prince of Wales, came.", "His sister, a Princess of Wales, came."),
    ],
)
def test_names_of_works_are_kept(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("His fiance met the viceroy.", "Her fiancee met the vicereine."),
        ("The enchantress and her maidservants.", "The enchanter and his manservants."),
        ("The airmen saluted him.", "The airwomen saluted her."),
        # goddess is read as female only: "God" is never rewritten
        ("She was a goddess of the sea.", "He was a god of the sea."),
        ("He thanked God for his luck.", "She thanked God for her luck."),
        ("He was a god of war.", "She was a god of war."),
        ("Madam, your grandniece is here.", "Sir, your grandnephew is here."),
        ("Her ladyship thanked his lordship.", "His lordship thanked her ladyship."),
        # lesbian is female; gay, used of women too, is only written
        ("She identifies as lesbian.", "He identifies as gay."),
        ("A lesbian woman and a gay man met.", "A gay man and a gay woman met."),
        ("Lesbians and gay men marched.", "Gay men and gay women marched."),
        ("Thank you, ma’am, said the boy.", "Thank you, sir, said the girl."),
        ("Dear Sir or Madam, he wrote.", "Dear Sir or Madam, she wrote."),
    ],
)
def test_person_nouns(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # a noun or title inside the name of a street, building, firm or (before a name)
        # an institution is part of the name, not a reference to a person
        ("She lived on Duke Street.", "He lived on Duke Street."),
        ("He worked at King & Co in Leith.", "She worked at King & Co in Leith."),
        ("He attended Queen Anne Grammar School.", "She attended Queen Anne Grammar School."),
        ("She played at the Duke of York Theatre.", "He played at the Duke of York Theatre."),
        # schools named for their pupils describe the person; a title alone is the person's
        ("She attended the Girls High School.", "He attended the Boys High School."),
        ("He met Queen Anne.", "She met King Anne."),
        ("He was King of Scotland.", "She was Queen of Scotland."),
        # pronouns in Title Case writing are unaffected
        ("After Completing His School He Left", "After Completing Her School She Left"),
    ],
)
def test_names_of_places_keep_their_words(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("He declined the gentlemen's agreement.", "She declined the gentlemen's agreement."),
        ("He declined the gentlemen’s agreement.", "She declined the gentlemen’s agreement."),
        ("He is a ladies’ man.", "She is a ladies’ man."),
        (
            "Her sister ships sank; her sister survived.",
            "His sister ships sank; his brother survived.",
        ),
    ],
)
def test_idioms_are_kept_with_either_apostrophe(src: str, expected: str) -> None:
    assert swapped(src) == expected


def neutral(text: str) -> str:
    engine = biasaudit.engine("en", "gender")
    return engine.rewrite(text, engine.plan("neutral")).text


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("He likes you.", "They like you."),
        ("She always keeps it.", "They always keep it."),
        ("He constantly does favors.", "They constantly do favors."),
        ("He tries hard and she watches.", "They try hard and they watch."),
        ("She goes home; he aches.", "They go home; they ache."),
        ("He doesn't know.", "They don't know."),
        ("She isn’t here.", "They aren’t here."),
        ("She's here.", "They're here."),
        ("She's been here.", "They've been here."),
        ("Who is she?", "Who are they?"),
        ("Does he know?", "Do they know?"),
        ("Why does she care?", "Why do they care?"),
        ("Isn't he tall?", "Aren't they tall?"),
        ("She keeps her promises, doesn't she?", "They keep their promises, don't they?"),
        # coordinated verbs agree too; plural nouns are not taken for verbs
        (
            "He studies law, teaches history and writes books.",
            "They study law, teach history and write books.",
        ),
        ("She is tall and works hard.", "They are tall and work hard."),
        ("She likes cats, dogs and birds.", "They like cats, dogs and birds."),
        # a verb before the pronoun that does not open a question stays
        ("The problem is she never listens.", "The problem is they never listen."),
        ("HE LIKES IT.", "THEY LIKE IT."),
        # 's is has before been/had and before a participle with an object, past adverbs
        ("She's had enough.", "They've had enough."),
        ("She's never been there.", "They've never been there."),
        ("He's always wanted a dog.", "They've always wanted a dog."),
        ("She's seen it all.", "They've seen it all."),
        ("She's tired.", "They're tired."),
        ("He's known for his films.", "They're known for their films."),
        ("She focuses on work.", "They focus on work."),
        ("She causes trouble.", "They cause trouble."),
        ("Where's she going?", "Where are they going?"),
        ("Where's he been?", "Where have they been?"),
        ("He, too, is a doctor.", "They, too, are a doctor."),
        ("She, however, likes tea.", "They, however, like tea."),
    ],
)
def test_singular_they_agreement(src: str, expected: str) -> None:
    assert neutral(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # his or her: two coordinated determiners before one noun
        (
            "Every student should bring his or her own lunch.",
            "Every student should bring her or his own lunch.",
        ),
        (
            "Every student should bring her or his own lunch.",
            "Every student should bring his or her own lunch.",
        ),
        ("Ask his/her teacher.", "Ask her/his teacher."),
        ("His and her towels.", "Her and his towels."),
        ("It earned her and her co-star a prize.", "It earned him and his co-star a prize."),
        # standalone his before an adverb that closes the clause
        ("The decision was his alone.", "The decision was hers alone."),
        ("The title was his again.", "The title was hers again."),
        ("He was dating his now ex-boyfriend.", "She was dating her now ex-girlfriend."),
        # object her before -ly adverbs, predicate adjectives, home, twice, well
        ("He held her tightly.", "She held him tightly."),
        ("He loved her deeply and she knew it.", "She loved him deeply and he knew it."),
        ("He knew her well.", "She knew him well."),
        ("It made her famous.", "It made him famous."),
        ("It drives her crazy.", "It drives him crazy."),
        ("They found her dead.", "They found him dead."),
        ("He sent her home.", "She sent him home."),
        ("He saw her twice.", "She saw him twice."),
        # ... but not before -ly nouns and adjectives, or a possession
        ("She sold her home.", "He sold his home."),
        ("He met her family.", "She met his family."),
        ("He met her only son.", "She met his only daughter."),
        ("It made her debut possible.", "It made his debut possible."),
    ],
)
def test_more_her_and_his_readings(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # a second review's sentences: her + a possession after verbs that take two objects
        ("She called her lawyer.", "He called his lawyer."),
        ("She told her boyfriend the news.", "He told his girlfriend the news."),
        ("She left her bag on the train.", "He left his bag on the train."),
        ("She gave her dog a bath.", "He gave his dog a bath."),
        ("He gave her money.", "She gave him money."),
        ("They named her Queen.", "They named him King."),
        # object her before adverbs and places
        ("He knew her only slightly.", "She knew him only slightly."),
        ("He visited her weekly.", "She visited him weekly."),
        ("She writes her weekly column.", "He writes his weekly column."),
        ("He saw her early that morning.", "She saw him early that morning."),
        ("He followed her inside.", "She followed him inside."),
        ("He pushed her aside.", "She pushed him aside."),
        ("He heard her scream.", "She heard him scream."),
        # time adverbials, comparisons and closing adverbs after an object
        ("I saw her last night.", "I saw him last night."),
        ("I visited her one day in June.", "I visited him one day in June."),
        ("He loves her more than anything.", "She loves him more than anything."),
        ("He hit her hard.", "She hit him hard."),
        ("She spent her last night in Paris.", "He spent his last night in Paris."),
        ("It was her last time.", "It was his last time."),
        ("She released her first album.", "He released his first album."),
        ("He praised her hard work.", "She praised his hard work."),
        # nouns that are also object words
        ("She hurt her back lifting boxes.", "He hurt his back lifting boxes."),
        ("He took her back.", "She took him back."),
        ("Her will was read on Monday.", "His will was read on Monday."),
        ("He was taken against his will.", "She was taken against her will."),
        ("She pushed with all her might.", "He pushed with all his might."),
        ("She introduced her then husband to us.", "He introduced his then wife to us."),
        # standalone his and coordinations
        ("A friend of his called.", "A friend of hers called."),
        ("One of his favoured dogs ran.", "One of her favoured dogs ran."),
        ("It isn't his anymore.", "It isn't hers anymore."),
        ("He finished his before she finished hers.", "She finished hers before he finished his."),
        ("It was neither his nor her fault.", "It was neither her nor his fault."),
        (
            "Each employee must submit his (or her) timesheet.",
            "Each employee must submit her (or his) timesheet.",
        ),
        (
            "Every child should know his, her or their rights.",
            "Every child should know her, his or their rights.",
        ),
        # forms of address and honorifics
        ("Excuse me sir, you dropped this.", "Excuse me madam, you dropped this."),
        ("Sir I have a question.", "Madam I have a question."),
        ("Madam President, the vote is tied.", "Mr. President, the vote is tied."),
        ("Yes, my lady.", "Yes, my lord."),
        (
            "His Royal Highness visited the school with his wife.",
            "Her Royal Highness visited the school with her husband.",
        ),
        ("She worked as an usherette.", "He worked as an usher."),
    ],
)
def test_second_review_readings(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("He's lived here for years.", "They've lived here for years."),
        ("She's never seen snow.", "They've never seen snow."),
        ("He's married.", "They're married."),
        ("She's done.", "They're done."),
        ("She's a nurse and works nights.", "They're a nurse and work nights."),
        ("She no longer lives here.", "They no longer live here."),
        ("She neither smokes nor drinks.", "They neither smoke nor drink."),
        ("He teaches and coaches.", "They teach and coach."),
        ("She was born in 1990 and is a teacher.", "They were born in 1990 and are a teacher."),
        ("How old is she?", "How old are they?"),
        ("Which school does she attend?", "Which school do they attend?"),
        ("So is she.", "So are they."),
        ("She hasn't called, has she?", "They haven't called, have they?"),
        # verbs of another subject are left alone
        (
            "She runs a company that makes shoes and sells them.",
            "They run a company that makes shoes and sells them.",
        ),
        (
            "She says her friend plays chess and reads a lot.",
            "They say their friend plays chess and reads a lot.",
        ),
        ("He blocks you or says something.", "They block you or say something."),
    ],
)
def test_second_review_singular_they(src: str, expected: str) -> None:
    cf = biasaudit.engine("en", "gender")
    result = cf.rewrite(src, cf.plan("neutral"))
    assert result.text == expected and result.safe


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # sir as a form of address is madam; as a noun (a knight) dame; before a name Dame
        ("Yes, sir!", "Yes, madam!"),
        ("Sir, yes sir!", "Madam, yes madam!"),
        ("Thank you, Sir.", "Thank you, Madam."),
        ("Dear Sir,", "Dear Madam,"),
        ("He was appointed as sir in 1983.", "She was appointed as dame in 1983."),
        ("Sir John arrived.", "Dame John arrived."),
        ("Yes, ma'am.", "Yes, sir."),
        ("The grande dame of theatre.", "The grande dame of theatre."),
        # a/an follows the new word's first sound
        ("An actress arrived.", "An actor arrived."),
        ("She is an heiress.", "He is an heir."),
        ("A man and an uncle.", "A woman and an aunt."),
        # names, acronyms and verbs that are not references to a person
        (
            "She starred in the movie Mrs. Doubtfire in 1993.",
            "He starred in the movie Mrs. Doubtfire in 1993.",
        ),
        ("Her Majesty's Theatre is in London.", "Her Majesty's Theatre is in London."),
        ("He drank Earl Grey tea.", "She drank Earl Grey tea."),
        ("They need someone to man the booth.", "They need someone to man the booth."),
        ("The HIS system crashed.", "The HIS system crashed."),
        ("and HIS wife!", "and HER husband!"),
        ("She lives in Queens, New York.", "He lives in Queens, New York."),
    ],
)
def test_address_articles_and_false_hits(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("axis", "target", "src", "expected"),
    [
        ("nationality", "american", "A Nigerian author wrote it.", "An American author wrote it."),
        ("nationality", "ukrainian", "He is an American citizen.", "He is a Ukrainian citizen."),
        ("age", "young", "An old man walked by.", "A young man walked by."),
        ("disability", "autistic", "A blind man sang.", "An autistic man sang."),
        ("orientation", "asexual", "He is a gay man.", "He is an asexual man."),
        ("nationality", "american", "AN UKRAINIAN BAND", "AN AMERICAN BAND"),
        ("religion", "jewish", "He is an atheist.", "He is a Jew."),
        ("religion", "jewish", "She is a Christian who prays.", "She is a Jew who prays."),
        ("religion", "jewish", "The Christian family prayed.", "The Jewish family prayed."),
    ],
)
def test_articles_follow_the_new_word_on_every_axis(axis, target, src, expected) -> None:
    engine = biasaudit.engine("en", axis)
    assert engine.rewrite(src, engine.plan(target)).text == expected


def test_names_of_places_are_kept_on_the_names_axis() -> None:
    engine = biasaudit.engine("en", "names")
    assert engine.swap("He lives on Henry Street.").text == "He lives on Henry Street."
    assert engine.swap("Henry said hello.").text != "Henry said hello."


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # her before last/first that close the clause is an object, after a copula a possessive
        ("I saw her last.", "I saw him last."),
        ("Who saw her last?", "Who saw him last?"),
        ("It was her last.", "It was his last."),
        # her every: a possessive, unless a time noun follows or a giving verb comes before
        ("He watched her every move.", "She watched his every move."),
        ("He catered to her every whim.", "She catered to his every whim."),
        ("She visits her every week.", "He visits him every week."),
        ("He gave her every chance.", "She gave him every chance."),
        # place and time adverbs that are also adjectives
        ("She postponed her overseas trip.", "He postponed his overseas trip."),
        ("I met her upstairs neighbour.", "I met his upstairs neighbour."),
        ("In her later novels, she experimented.", "In his later novels, he experimented."),
        ("Police arrested her outside the bank.", "Police arrested him outside the bank."),
        ("I'll text her later.", "I'll text him later."),
        ("They sent her abroad to study.", "They sent him abroad to study."),
        ("He took her upstairs quickly.", "She took him upstairs quickly."),
        # make + an office
        ("They made her captain of the team.", "They made him captain of the team."),
        ("She made her partner a sandwich.", "He made his partner a sandwich."),
        # the double genitive before a verb: of his stands alone
        ("A cousin of his runs the bakery.", "A cousin of hers runs the bakery."),
        ("That smile of his drives me crazy.", "That smile of hers drives me crazy."),
        ("One of his runs was a record.", "One of her runs was a record."),
    ],
)
def test_third_review_readings(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # Mr before an office is an address: Madam, without the period
        ("Mr. President, the press is waiting.", "Madam President, the press is waiting."),
        ("Thank you, Mr Speaker.", "Thank you, Madam Speaker."),
        ("MR. PRESIDENT!", "MADAM PRESIDENT!"),
        ("Mr. Jones met the President.", "Mrs. Jones met the President."),
        # British mum, and -man compounds
        ("Her mum was worried about her.", "His dad was worried about him."),
        ("The manager called the repairman.", "The manager called the repairwoman."),
        ("Two servicemen and a clergywoman came.", "Two servicewomen and a clergyman came."),
        ("In layman's terms, he is broke.", "In layman's terms, she is broke."),
        # sizes, firms, works and characters
        ("She bought a king-size bed.", "He bought a king-size bed."),
        ("She works for Burger King.", "He works for Burger King."),
        ("He watched Spider-Man with his son.", "She watched Spider-Man with her daughter."),
        ("She played Wonder Woman.", "He played Wonder Woman."),
        # a Title Case name with a small word right after a work cue
        ("She's a fan of the band Men at Work.", "He's a fan of the band Men at Work."),
        ("She was named Woman of Distinction.", "He was named Man of Distinction."),
    ],
)
def test_third_review_nouns_titles_and_names(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(("name", "rows"), [("review3", 457), ("review4", 344), ("review5", 367)])
def test_review_sentences(name: str, rows: int) -> None:
    """The third, fourth and fifth reviews' hand-written sentences (tests/languages/data/
    en_gender_NAME.tsv, written before the engine was run on them) swap to their gold
    counterfactuals, except the rows marked ``hard`` (documented limits), which must still
    be wrong: a rule that fixes one has to drop its flag."""
    path = Path(__file__).parent / "languages" / "data" / f"en_gender_{name}.tsv"
    engine = biasaudit.engine("en", "gender")
    wrong, stale, seen = [], [], 0
    for line in path.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        seen += 1
        _, src, gold, *flag = line.split("\t")
        out = engine.swap(src).text
        if flag == ["hard"] and out == gold:
            stale.append(src)
        elif flag != ["hard"] and out != gold:
            wrong.append((src, out, gold))
    assert seen == rows  # every sentence kept, including those still wrong
    assert not wrong
    assert not stale, "right now: drop their 'hard' flag"


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # her before a word that closes the phrase, or an intensified adverb: an object
        ("I've known her forever.", "I've known him forever."),
        ("We'll meet her downtown after work.", "We'll meet him downtown after work."),
        ("She sold her downtown apartment.", "He sold his downtown apartment."),
        ("I can't thank her enough.", "I can't thank him enough."),
        ("I love her very much.", "I love him very much."),
        ("She did her very best.", "He did his very best."),
        ("The ball hit her right in the face.", "The ball hit him right in the face."),
        ("She asserted her right in court.", "He asserted his right in court."),
        ("The lake was to her right.", "The lake was to his right."),
        ("What I miss about her most is her laugh.", "What I miss about him most is his laugh."),
        # participles, leave-taking, durations, denials, causatives
        ("They had her arrested.", "They had him arrested."),
        ("She had her injured leg examined.", "He had his injured leg examined."),
        ("The article got her thinking.", "The article got him thinking."),
        ("He kissed her goodbye.", "She kissed him goodbye."),
        ("It took her three years to finish.", "It took him three years to finish."),
        ("She took her three children to the zoo.", "He took his three children to the zoo."),
        ("The guards denied her entry.", "The guards denied him entry."),
        ("The firm made her partner in 2015.", "The firm made him partner in 2015."),
        ("Don't let her fool you.", "Don't let him fool you."),
        ("She let her dog out.", "He let his dog out."),
        # possessions that a verb takes where it would otherwise take an object
        ("They gossiped behind her back.", "They gossiped behind his back."),
        ("She gave her all in the final.", "He gave his all in the final."),
        ("He gave her all the money.", "She gave him all the money."),
        ("SHE GAVE HER WORD.", "HE GAVE HIS WORD."),
        ("Nobody asked her opinion.", "Nobody asked his opinion."),
        ("He gave her advice.", "She gave him advice."),
        ("He called her bluff.", "She called his bluff."),
        # his standing alone before an adverb, and his coordinated with his
        ("I like his better.", "I like hers better."),
        ("He loved his better half.", "She loved her better half."),
        ("The house was his once.", "The house was hers once."),
        ("His more than 200 films are archived.", "Her more than 200 films are archived."),
        ("His and his brother's shares were sold.", "Her and her sister's shares were sold."),
        ("The choice was his and his alone.", "The choice was hers and hers alone."),
    ],
)
def test_fourth_review_readings(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # honorifics and kin words after a capitalised pronoun
        ("It was heard by Her Honour Judge Patel.", "It was heard by His Honour Judge Patel."),
        ("His Dad still calls him Champ.", "Her Mom still calls her Champ."),
        # names of works after a cue, a capitalised article or a capitalised small word
        ("He cried at the end of the film Her.", "She cried at the end of the film Her."),
        ("She quotes the film The Godfather.", "He quotes the film The Godfather."),
        ("He quoted the novel Sons and Lovers.", "She quoted the novel Sons and Lovers."),
        (
            "He stood before the painting Girl with a Pearl Earring.",
            "She stood before the painting Girl with a Pearl Earring.",
        ),
        ("He read Of Mice and Men in school.", "She read Of Mice and Men in school."),
        # firms and bands, the House of Lords, clubs
        ("He worked at Lehman Brothers.", "She worked at Lehman Brothers."),
        ("She attended the High School for Girls.", "He attended the High School for Boys."),
        ("Lady Thatcher addressed the Lords.", "Lord Thatcher addressed the Lords."),
        ("The Lords of the Admiralty met.", "The Ladies of the Admiralty met."),
        ("She supports Man United.", "He supports Man United."),
        # interjections, vocatives and idioms that name no one
        ("Man, she was fast!", "Man, he was fast!"),
        ("Man, 45, charged with assault.", "Woman, 45, charged with assault."),
        ("Oh man, I forgot her birthday.", "Oh man, I forgot his birthday."),
        ("Thanks, guys, you've all been great.", "Thanks, guys, you've all been great."),
        ("He tells terrible dad jokes.", "She tells terrible dad jokes."),
        ("That's an old wives' tale, she laughed.", "That's an old wives' tale, he laughed."),
        # new lexicon pairs
        ("Auntie May and my stepdad came.", "Uncle May and my stepmom came."),
        (
            "She was a housewife; the batsman was out.",
            "He was a househusband; the batswoman was out.",
        ),
        ("Grandad, can you hear me?", "Granny, can you hear me?"),
    ],
)
def test_fourth_review_nouns_titles_and_names(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # her after a verb whose subject is she, or after a passive two-object verb
        ("She found her stride.", "He found his stride."),
        ("She was given her insulin at 8 am.", "He was given his insulin at 8 am."),
        ("She's been offered her old job back.", "He's been offered his old job back."),
        ("He found her keys.", "She found his keys."),
        ("He gave her flowers.", "She gave him flowers."),
        ("She was given a prize.", "He was given a prize."),
        # her before every and a number of time units, after look at, before a base verb
        ("We turned her every two hours.", "We turned him every two hours."),
        ("She checked her every two weeks' pay.", "He checked his every two weeks' pay."),
        ("Look at her go!", "Look at him go!"),
        ("Let her stir the soup.", "Let him stir the soup."),
        ("The pills made her drowsy.", "The pills made him drowsy."),
        ("The businesswoman sold her company.", "The businessman sold his company."),
        ("Keep her company.", "Keep him company."),
        # his standing alone before a modal verb after of, and before all along
        ("A friend of his will be there.", "A friend of hers will be there."),
        ("A cousin of his might help.", "A cousin of hers might help."),
        ("The terms of his will were clear.", "The terms of her will were clear."),
        (
            "The executor of his will and his son met.",
            "The executor of her will and her daughter met.",
        ),
        ("The idea was his all along.", "The idea was hers all along."),
        ("His all-around game", "Her all-around game"),
        # the capitalised small word of a Title Case headline starts no name
        (
            "Father Of The Bride Gives Emotional Speech",
            "Mother Of The Groom Gives Emotional Speech",
        ),
        ("He read Of Mice and Men in school.", "She read Of Mice and Men in school."),
        # chat nouns, names and things named for people
        ("is that her new bf??", "is that his new gf??"),
        ("gf flour, 200g", "gf flour, 200g"),
        ("Off to Rome with the hubby!", "Off to Rome with the wifey!"),
        ("She loves the Spice Girls.", "He loves the Spice Girls."),
        ("He did his Duke of Edinburgh's Award.", "She did her Duke of Edinburgh's Award."),
        ("Our sister hotel is in Bath.", "Our sister hotel is in Bath."),
        ("The hero image is broken.", "The hero image is broken."),
        ("Fry the king prawns.", "Fry the king prawns."),
        ("She drew the queen of spades.", "He drew the queen of spades."),
        (
            "Connect the male plug to the female socket.",
            "Connect the male plug to the female socket.",
        ),
        ("Mum's the word.", "Mum's the word."),
        ("The queen bee lays eggs.", "The queen bee lays eggs."),
    ],
)
def test_fifth_review_readings_and_names(src: str, expected: str) -> None:
    assert swapped(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # chat: a lower-case title before a name is read
        ("hi mrs jones, is your husband home?", "hi mr jones, is your wife home?"),
        ("mr. smith said he would come", "mrs. smith said she would come"),
        ("ms brown and her son", "mr brown and his daughter"),
        ("Hi mrs jones, is your husband home?", "Hi mr jones, is your wife home?"),
        # but not a unit, Microsoft's products, the verb *miss*, or before a function word
        ("after 50 ms delay he left", "after 50 ms delay she left"),
        ("i use ms teams with my husband", "i use ms teams with my wife"),
        ("i miss my husband", "i miss my wife"),
        ("the ms in his name", "the ms in her name"),
        # *he's*, *she's* without the apostrophe; a capitalised *Hes* inside a sentence is a name
        ("hes late again lol", "shes late again lol"),
        ("ok. Shes here", "ok. Hes here"),
        ("The Hes family moved.", "The Hes family moved."),
    ],
)
def test_chat_titles_and_contractions_without_apostrophes(src: str, expected: str) -> None:
    assert swapped(src) == expected


def test_apostropheless_contraction_has_no_neutral_form() -> None:
    """*hes* is *he is* or *he has*: *they're* or *they've* depends on the verb, so the
    singular-they variant is marked unsafe rather than guessed."""
    cf = biasaudit.engine("en").rewrite("hes late", biasaudit.engine("en").plan("neutral"))
    assert not cf.safe and "no neutral form" in cf.unsafe[0]


@pytest.mark.parametrize(("src", "expected", "unsafe"), [
    # from a native speaker's walkthrough: wrong outputs that were marked safe
    ("Her brother's wife is pregnant.", "His sister's husband is pregnant.", "pregnant"),
    ("She gave birth to twins.", "He gave birth to twins.", "gave birth"),
    ("His prostate exam went fine.", "Her prostate exam went fine.", "prostate"),
    ("He was born in 1950.", "She was born in 1950.", ""),
    ("The bride and her bridesmaids arrived late.", "The groom and his groomsmen arrived late.",
     ""),
])
def test_sex_specific_biology_is_unsafe_and_wedding_roles_swap(src: str, expected: str,
                                                                unsafe: str) -> None:
    cf = biasaudit.swap(src)
    assert cf.text == expected
    if unsafe:
        assert any(unsafe in reason for reason in cf.unsafe), cf.unsafe
    else:
        assert cf.safe, cf.unsafe


@pytest.mark.parametrize(("src", "expected"), [
    # *her* after *except*/*but* following everyone/nobody, before a past verb: an object
    ("Everyone except her came.", "Everyone except him came."),
    ("Nobody but her knew the answer.", "Nobody but him knew the answer."),
    ("No one but her noticed.", "No one but him noticed."),
    # but a possessive before a noun, and after a plain *but*
    ("Everyone but her sister came.", "Everyone but his brother came."),
    ("Nobody but her tired friends stayed.", "Nobody but his tired friends stayed."),
    ("He called, but her mother answered.", "She called, but his father answered."),
])
def test_her_after_everyone_but(src: str, expected: str) -> None:
    assert swapped(src) == expected
