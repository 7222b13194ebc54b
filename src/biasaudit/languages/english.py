"""English: pronoun readings by part of speech, titles before names, and singular *they*.

*her* is an object (*I saw her.* → *him*) or a possessive determiner (*her book* → *his*);
*his* is a determiner (*his book* → *her*) or standalone (*it is his* → *hers*). The lexicon
lists each reading as its own entry with a ``case`` feature; this module picks the reading
from the next word with small, tested word lists (no tagger, so it runs offline at
>100k sentences/s).

The rules of the identity axes (nationality, religion, age, disability, orientation, names)
are in :mod:`.english_identity`; the word lists and word helpers that both modules use
(:data:`~.english_words.OBJECT_FOLLOWERS`, :func:`~.english_words.next_token`, ...) are
in :mod:`.english_words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from ..core.grammar import Decision, Grammar, Rewrite, SwapPlan
from ..core.matcher import trie_pattern
from ..core.types import Candidate, Edit, Match
from ..lexicons.registry import LexiconSet
from .english_identity import EnglishIdentityRules
from .english_words import (
    COPULAS,
    NEXT,
    OBJECT_FOLLOWERS,
    TITLE_LOWER,
    next_token,
    opens_sentence,
    prev_token,
    second_token,
    title_case,
)
from .names import DoubleNames

_PROPER_NEXT = re.compile(r"['’]s\s+[A-Z][a-z]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NEXT_WORD = re.compile(r"\s+([^\W\d_])")
_WORD_BEFORE_REVERSED = re.compile(r"\s+([\w'’-]+)")

# What may follow a title (a name, *of*, a particle, another title: *Mr. Smith*, *Count de
# Lemos*, *Mr. and Mrs. Smith*) and what may come before one without a name (*the fifth Earl*).
_TITLE_NEXT = re.compile(
    r"\.?\s*(?:\s[A-Z]|\s(?:of|de|di|da|du|von|van|la|le)\b|\s(?:and|&)\s+[A-Z]|&\s*[A-Z])"
)
TITLE_DETERMINERS = frozenset(
    """
the a an this that these those his her their its our my your whose every each first second
third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth
fifteenth sixteenth seventeenth eighteenth nineteenth twentieth last late new former future
""".split()
)
# Small words that Title Case leaves in lower case (*Dolly Dawn and Her Dawn Patrol*).
TITLE_FUNCTION_WORDS = frozenset("a an and at by for in of on or the to".split())
# Words before a Title Case name that show it names a creative work (kept as it is), and
# words in names of awards, schools and teams, which describe the person (swapped).
WORK_CUES = frozenset(
    """
film films movie movies novel novels book books album albums song songs single series show
shows play plays musical magazine magazines newspaper band group game games episode sitcom
opera poem story stories titled entitled called named starring starred hit painting
paintings podcast podcasts
""".split()
)
# (a trie over lower-cased text: several times faster than an IGNORECASE alternation)
_WORK_CUE = re.compile(
    r"\b(?:" + trie_pattern([*WORK_CUES, "appeared in", "role in", "roles in", "cast of"]) + r")\b"
)
# A small word and a capitalised one after a noun right after a work cue: the noun starts
# a Title Case name (*the band Men at Work*, *the novel Girls of Riyadh*). *named* and
# *called* also cue honours (*named Woman of Distinction*), so they do not count here.
NAME_CUES = WORK_CUES - {"named", "called"}
_FUNCTION_WORD_THEN_CAPITAL = re.compile(
    r"\s+(?:at|by|for|in|of|on|to|from|and|&|or|with)\s+(?:(?:a|an|the)\s+)?[A-Z]"
)
# A capitalised small word inside a sentence, then only words of a Title Case name up to
# the noun: a name, as a work cue would show (*read Of Mice and Men*, *slogans like Breaking
# Up With Her Boyfriend*).
_CAPITAL_SMALL_WORD_BEFORE = re.compile(
    r"(?<=\w) (?:Of|And|In|At|On|For|To|With|From|By) "
    r"(?:(?:[A-Z][\w'’-]*|and|of|the|a|an|in|on|at|to|for|with|by|&) ){0,4}$"
)
# A capitalised article between a work cue and the noun: *the film The Godfather*, *the
# musical The King and I*.
_CUE_ARTICLE_BEFORE = re.compile(r"\b([a-z]+)\s+(?:The|A|An)\s+$")
# Nouns right before a capitalised pronoun that make it a work's name (*the film Her*);
# verbs such as *plays* or *named* do not count.
PRONOUN_WORK_CUES = frozenset(
    """
film films movie movies novel novels book album song single series show sitcom musical
magazine band opera poem podcast painting titled entitled
""".split()
)
# Kin words used as names after a capitalised pronoun: *His Dad still calls him Champ* is
# not a Title Case name (as *His Girl Friday* is).
_KIN_NAME_AFTER = re.compile(
    r"\s+(?:Dad|Daddy|Mom|Mommy|Mum|Mummy|Grandma|Grandpa|Granny|Grandad|Granddad|Nana"
    r"|Auntie|Aunt|Uncle)\b"
)
# Plural kin nouns in names of firms, bands and schools after a capitalised word (*Lehman
# Brothers*, *Rajwade and Sons*, *the Righteous Brothers*, *Presentation Brothers College*);
# not after a possessive (*Job's Daughters*, which annotators swap).
FIRM_KIN = frozenset(("Brothers", "Sons", "Sisters", "Daughters"))
# *Man*, *Boy* as interjections opening a sentence (*Man, she was fast!*; but *Man, 45,
# charged*).
INTERJECTION_NOUNS = frozenset(("Man", "Boy"))
_CATEGORY_CUE = re.compile(
    r"\b(?:Awards?|Best|Year|Most|School|College|Academy|Championships?|Cup|Club|Team|Tour"
    r"|Open|Player|Prize|Olympics|Hall of Fame)\b"
)
# Last words of names of streets, buildings, firms and institutions. A capitalised noun in such a
# name (*Duke Street*, *Dame Sybil Thorndike Health Centre*) or a title before a name in it
# (*Queen Anne Grammar School*) is part of the name, not a reference to a person. Schools
# named for their pupils (*Girls' High School*) describe the person and are swapped.
PLACE_WORDS = frozenset(
    """
Street Road Avenue Lane Square Place Row Terrace Crescent Drive Way Bridge Park Gardens
Station Airport Hospital Infirmary Centre Center Hall Theatre Theater Building Tower Memorial
Museum Library Church Cathedral Chapel Abbey Palace Barracks Stadium Island Bay Hotel Inn
Co Company Ltd Inc Corporation
""".split()
)
INSTITUTION_WORDS = frozenset("School College Academy University Institute".split())
_CAPITALISED_AFTER = re.compile(r"(?:\s+(?:[A-Z][\w'’-]*|&|of|the)){1,5}")
_YEAR_AFTER = re.compile(r"[\w\s'’&:,-]{0,40}\((?:1[89]|20)\d\d\)")
# -ly endings that mark an adverb after *her* (*represent her effectively* -> *him*).
ADVERB_ENDINGS = (
    "ally",
    "ively",
    "ously",
    "fully",
    "edly",
    "ingly",
    "ently",
    "antly",
    "ately",
    "lessly",
)

PREPOSITIONS = frozenset("against in of by under to with from for without".split())
# Adverbs of place and time that are also adjectives: after *her* they close the phrase
# (*took her upstairs.*, *arrested her outside the bank*, *I'll text her later*) or modify
# a noun (*her upstairs neighbour*, *her overseas trip*, *her later years*).
PLACE_ADVERBS = frozenset(
    """
upstairs downstairs abroad overseas ashore indoors outdoors aboard outside inside later earlier
downtown uptown forever
""".split()
)
# Prepositions before *her back* that make *back* the body part (*behind her back*, *on
# her back*), not the adverb (*took her back*).
BACK_PREPOSITIONS = frozenset("on onto upon behind across against down along over".split())
# Words that make the next word an adverb after *her*, when what follows closes the
# phrase: *loves her very much*, *saw her just now*, *hit her right in the face*, *what I
# miss about her most is* (but *her very own*, *her just deserts*, *her right hand*, *her
# most famous role*).
INTENSIFIERS = frozenset("very just right most least".split())
RIGHT_CLOSERS = frozenset("there here now away back behind beside next".split())
RIGHT_PLACES = frozenset(
    """
face eye eyes head chest stomach gut mouth nose heart middle centre center front end start
""".split()
)
_THE_PLACE = re.compile(r"\s+\S+\s+(?:in|on|at|into)\s+the\s+(\w+)")
# After *her every*: a time noun makes her an object (*visits her every week*); otherwise
# *every* heads her noun phrase (*watched her every move*, *her every whim*).
EVERY_TIME_WORDS = frozenset("few other".split())
# Nouns of office after *make* (*made her captain*): her is the object, not a possessive
# (*made her debut*, *made her decision*).
OFFICE_NOUNS = frozenset(
    """
captain president chairman chairwoman chairperson chair leader director editor ambassador
secretary treasurer governor commander
""".split()
)
MAKE_VERBS = frozenset("make makes made making".split())
# Words before *of* that make *of his* partitive (*one of his runs*: a noun follows his),
# not the double genitive *a cousin of his runs the bakery*.
PARTITIVES = frozenset(
    """
one two three four five some many all each none most few several any both either neither
rest much more part half
""".split()
)

# Verbs after which *her* is usually an object (*granted her 1000 acres*, *named her Man of
# the Year*) unless the next word is a typical possession (*made her debut*).
OBJECT_VERBS = frozenset(
    """
give gives gave given giving offer offers offered offering grant grants granted granting
cost costs win wins won winning earn earns earned earning garner
garnered bring brings brought bringing send sends sent sending tell tells told telling ask
asks asked asking teach teaches taught teaching show shows showed shown showing pay pays
paid paying promise promised award awards awarded hand handed lend lent owe owed sell sold
serve serves served call calls called calling name names named naming dub dubbed nickname
nicknamed crown crowned declare declared elect elected appoint appointed leave leaves left
leaving find finds found finding allow allowed cause caused force
forced lead leads led involve involved involves help helps helped helping suspend suspended
put puts wish wishes wished wishing charge charges charged charging provide provides provided
providing
""".split()
)

POSSESSED = frozenset(
    """
own first second third fourth fifth last final latest next new early earliest late best
debut career life lives name names home house way time place role position work job title
album albums book books film films song songs father mother son daughter sons daughters
children child husband wife family parents brother sister hand hands head hair eyes face
body voice heart mind seat team room death birth career's education studies story friend friends
partner apprenticeship wealth fortune estate neighbor neighbour neighbors neighbours wisdom
debt debts bills rent salary wages fees taxes group
lawyer lawyers attorney agent manager boss doctor doctors teacher teachers students pupils
boyfriend girlfriend fiance fiancé fiancee fiancée mom mum dad kids
baby grandmother grandfather grandparents aunt uncle cousin niece nephew colleague colleagues
dog dogs cat cats horse pet bag bags phone coat jacket hat shoes keys car wallet purse
passport ticket tickets laptop computer glasses number address email letter letters
regards respects condolences apologies case shares stake living share company business
arm arms leg legs feet foot shoulder shoulders neck lips mouth nose ears teeth skin
""".split()
)


def _forms(spec: str) -> dict[str, frozenset[str]]:
    """``"ask asked: opinion advice; call called: bluff"`` as a map from each verb form to
    its nouns."""
    table: dict[str, frozenset[str]] = {}
    for group in spec.split(";"):
        verbs, nouns = group.split(":")
        for verb in verbs.split():
            table[verb] = frozenset(nouns.split())
    return table


# What a verb takes as her possession where it would otherwise take her as an object
# (*asked her opinion*, *called her bluff*, *served her table*, *gave her word*; but *asked
# her a question*, *gave her advice*).
VERB_POSSESSIONS = _forms(
    """
ask asks asked asking: opinion opinions advice permission consent blessing forgiveness views
hand pardon;
call calls called calling: bluff;
serve serves served serving: table;
tell tells told telling: secret secrets;
give gives gave given giving: word
"""
)
# What is denied or refused to a person: *denied her entry* (but *denied her involvement*).
DENY_VERBS = frozenset("deny denies denied denying refuse refuses refused refusing".split())
DENIED = frozenset("entry access admission bail passage service treatment visas".split())
GIVE_VERBS = frozenset("give gives gave given giving".split())
# *It took her three years* (an object), but *she took her three children* (a possessive).
TAKE_VERBS = frozenset("take takes took taking taken".split())
NUMBERS = frozenset(
    """
one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
fifty hundred several many
""".split()
)
DURATIONS = frozenset(
    """
year years month months week weeks day days hour hours minute minutes seconds decade decades
""".split()
)
# What may follow the time unit (*took her three years to finish*; but *two weeks of leave*).
DURATION_CLOSERS = frozenset("to and before after".split())
# Words of leave-taking that follow an object (*kissed her goodbye*; but *said her goodbye*).
FAREWELLS = frozenset("goodbye goodnight farewell".split())
GREETING_VERBS = frozenset(
    """
kiss kisses kissed kissing wave waves waved waving bid bids bade hug hugs hugged hugging wish
wishes wished tell tells told
""".split()
)
# Verbs with an object and a past participle (*had her arrested*, *want her fired*,
# *consider her hired*; but *had her injured leg examined*).
PARTICIPLE_VERBS = frozenset(
    """
have has had having get gets got getting want wants wanted need needs needed consider
considers considered see sees saw seen find finds found like liked prefer preferred
""".split()
)
# Verbs with an object and an -ing word that closes the phrase (*got her thinking*; but
# *got her driving licence*).
GET_VERBS = frozenset("get gets got getting set sets start starts started".split())
# Irregular participles after an object (*had her thrown out*).
OBJECT_PARTICIPLES = frozenset("taken thrown beaten chosen driven shown known seen given".split())
# Verbs whose object *her* is told apart from a possessive by what follows it.
PHRASE_VERBS = GREETING_VERBS | TAKE_VERBS | DENY_VERBS | PARTICIPLE_VERBS | GET_VERBS
# Object pronouns after a causative's object and its verb: *let her fool you*.
OBJECT_PRONOUNS = frozenset("me you him us them".split())

# *keep her safe* (object) but *kept her promise* (possessive): after these verbs her is an
# object only before a participle or one of these words.
KEEP_VERBS = frozenset("keep keeps kept keeping".split())
KEPT_STATES = frozenset(
    """
safe busy warm alive away out up in off awake quiet calm happy healthy company going waiting
""".split()
)

# Verbs in the base form that follow an object after let/make/help/see/hear (*let her go*).
BASE_VERBS = frozenset(
    """
be go come do make take see know get give find think tell become leave feel bring begin keep
hold write stand hear let mean set meet run pay sit speak lie lead read grow lose fall send
build stay understand win die remember move live believe play turn start show try ask work
call put say sing dance cry laugh smile talk walk wait stop return marry join sign fight
learn teach study change decide appear continue follow open close enter pass drive ride eat
drink sleep rest use buy visit wear escape explain borrow finish choose listen fly swim cook
clean enjoy stir mix pour chop taste pick
""".split()
)
# Perception verbs: an -ing word after *her* is what she does (*saw her leaving* -> *him*).
PERCEPTION_VERBS = frozenset(
    """
see sees saw seen seeing watch watches watched watching hear hears heard hearing feel feels
felt notice notices noticed find finds found catch catches caught spot spotted imagine imagined
""".split()
)
# Verbs in the base form that the agreement of coordinated verbs may rewrite to.
KNOWN_VERBS = (
    BASE_VERBS
    | OBJECT_VERBS
    | frozenset(
        """
have do watch wash fix kiss miss catch coach smile own fear bake shop hope want need love
hate like prefer smoke drink cook clean drive write read speak sing paint draw train coach
manage run lead direct own rent earn spend save travel commute
""".split()
    )
)
# Comparatives after a causative verb (*make her less trusting*): her is the object.
COMPARATIVES = frozenset(("less", "more"))
# Words before *her* that open a clause, where no verb or preposition governs her: it is
# the possessive of the clause's subject (*because her back ached*).
SUBORDINATORS = frozenset(
    "because although though whereas unless whether if when whenever while since that".split()
)

CAUSATIVE = frozenset(
    """
let lets letting make makes made making help helps helped helping have has had having see
sees saw seen seeing watch watches watched watching hear hears heard hearing feel feels felt
feeling bid bids
""".split()
)

# Words after *his* that show it stands alone (*it was his to lose* → *hers*).
STANDALONE_FOLLOWERS = frozenset(
    """
is was are were has had will would can could should may might must and or but nor to too as
than in on at for with from by of that which who whom if when while because also regarding
before after
""".split()
)
# Adverbs after a standalone *his* (*the decision was his alone.*) when the clause goes on
# without a noun; *his now ex-wife* is a determiner.
STANDALONE_ADVERBS = frozenset(
    "alone now again anyway anymore forever already entirely instead once better".split()
)
# Comparatives after a standalone *his* only before punctuation (*I like his more.*): before
# *than* they start a determiner's phrase (*his more than 200 films*).
STANDALONE_COMPARATIVES = frozenset(("more", "less"))
NO_WORDS: frozenset[str] = frozenset()
# After *of his* these show it stands alone (*a friend of his called*, *of his never worked*).
AFTER_OF_STANDALONE = frozenset(
    "never always also just still once really said told came went called wrote died".split()
)
# Forms of address and their counterpart, where the lexicon's first form is the noun's
# (*a sir* -> *a dame*, but *Yes, sir!* -> *Yes, madam!*).
ADDRESS_FORMS = {"sir": "madam"}
ADDRESS_OPENERS = frozenset(
    """
yes no you thanks please oh dear me sorry morning afternoon evening night hello hi goodbye
pardon would will could may does
""".split()
)
# Words that follow *Sir* used as an address at the start of a sentence (*Sir, yes sir!*).
ADDRESS_FOLLOWERS = frozenset("i yes no please we you may could would can will do is are".split())
# Offices after *Madam*: *Madam President* -> *Mr. President*, and back.
OFFICE_TITLES = frozenset(("Mr", "Mister"))
OFFICES = frozenset(
    "President Speaker Chair Chairman Chairwoman Secretary Ambassador Mayor Justice".split()
)
# Words spelt with a vowel that start with a consonant sound, and h-words with a silent h.
_A_BEFORE_VOWEL = (
    "uni",
    "use",
    "usu",
    "usa",
    "uk",
    "ugand",
    "urugua",
    "eu",
    "ewe",
    "one",
    "once",
    "utop",
    "ute",
)
_AN_BEFORE_H = ("hour", "honest", "honor", "honour", "heir")
_ARTICLE_ENDS = frozenset(("a ", "n ", "A ", "N "))
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(an?)\s+$", re.IGNORECASE)
# Words after *her* that close a verb phrase (*hit her hard.*) but modify a noun elsewhere
# (*her hard work*, *her first album*).
CLOSING_ADVERBS = frozenset("first last hard close closer tight tighter".split())
TIME_MODIFIERS = frozenset("last next this one more better less".split())
TIME_NOUNS = frozenset(
    """
night week month year time summer winter spring autumn fall weekend morning evening
afternoon day season
""".split()
)
WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
SPEND_VERBS = frozenset(
    """
spent spend spends spending enjoyed enjoy enjoys celebrated celebrate began begin begins
started start starts ended end ends lived live lives passed pass made make had have
is was were be been being are
""".split()
)
TIME_PREPOSITIONS = PREPOSITIONS | frozenset(
    "on during at since until till before after throughout of".split()
)
# *will*/*might* as nouns: after these words, or before these.
NOUN_WILL_BEFORE = PREPOSITIONS | frozenset(
    "all changed change changes wrote write made make signed drafted contested read updated".split()
)
NOUN_WILL_AFTER = frozenset("was is were has had and or but".split())
# Words after a modal *will*/*might* that go before its verb (*a friend of his will be*).
MODAL_FOLLOWERS = frozenset("be have not never also always still probably soon just".split())
# Words before a two-object verb that make the *her* after it a possessive: a passive *be*
# (its first object is the subject: *she was given her insulin*, *he's been offered her
# old job*) or the subject *she* (*she found her stride*).
POSSESSIVE_SUBJECTS = frozenset("was were is are be been being get got gets she".split())
# *look at her go*: a base verb after *her* after these and *at*.
LOOK_VERBS = frozenset("look looks looked looking".split())
# Words after *his* that close the clause with it standing alone: *the idea was his all along*.
STANDALONE_PHRASES = (("all", "along"),)
# Verbs whose *her back* is a body part (*hurt her back*), not a return (*took her back*).
BODY_VERBS = frozenset(
    "hurt hurts injured injure injures strained strain broke broken arched arch rubbed rub "
    "scratched scratch turned turn turns straightened".split()
)
PARTNERS = frozenset(
    "husband wife boyfriend girlfriend partner fiance fiancé fiancee fiancée spouse".split()
)
# Base verbs after a perception verb and its object (*heard her scream*).
SOUND_VERBS = frozenset(
    """
scream shout whisper sing speak say cry laugh call arrive leave fall die smile sigh complain
breathe knock approach talk walk run dance play
""".split()
)
# Possessive determiners: *his or her* coordinates two of them before one noun, so *his*
# there is a determiner (*her or his own lunch*), not the standalone *hers*.
POSSESSIVE_DETERMINERS = frozenset("his her their its my your our one's".split())
# -ly words that are nouns or adjectives, not adverbs (*her family*, *her only son*).
LY_NOT_ADVERBS = frozenset(
    """
family families only early lovely elderly friendly lonely ugly holy silly daily weekly
monthly yearly likely unlikely ally allies belly assembly supply reply fly july italy emily
sally lily holly molly polly kelly billy jelly rally bully butterfly monopoly anomaly homily
curly jolly costly deadly ghastly lively lowly manly womanly motherly fatherly sisterly
brotherly worldly scholarly orderly cowardly chilly hilly smelly woolly bubbly sickly timely
heavenly earthly beastly comely courtly kindly leisurely stately unruly wily
""".split()
)
# -ly words that are adverbs after a verb's object (*visited her weekly.*, *saw her early
# that morning*) and adjectives before a noun (*her weekly column*, *her early years*).
AMBIGUOUS_LY = frozenset("only early weekly daily monthly yearly hourly nightly kindly".split())
# After *her* and such an adverb, what shows the clause goes on without a noun.
_AFTER_ADVERB = frozenset(
    """
and but or as when before after because for in on at to with from by since until while than
so that if though although this
""".split()
)
# Verbs that send someone somewhere: *sent her home* -> *him* (but *sold her home*).
SEND_VERBS = frozenset(
    """
send sends sent sending take takes took taken taking drive drives drove driven driving bring
brings brought bringing walk walks walked walking escort escorts escorted escorting fly flies
flew flown flying carry carries carried carrying rush rushes rushed rushing accompany
accompanied welcome welcomed welcomes invite invited invites see saw seen follow follows
followed following chase chased pull pulled push pushed lead led
""".split()
)
# Verbs with an object and a predicate adjective (*made her famous*, *found her dead*).
PREDICATE_VERBS = frozenset(
    """
make makes made making drive drives drove driven driving get gets got gotten getting want
wants wanted wanting find finds found finding consider considers considered render renders
rendered leave leaves left leaving declare declares declared pronounce pronounced
""".split()
)
PREDICATE_ADJECTIVES = frozenset(
    """
happy unhappy sad angry mad crazy famous rich nervous uncomfortable comfortable sick ill
pregnant gone dead alive proud jealous furious upset miserable anxious worried curious
suspicious responsible unable able ready wet dizzy sleepy tired weak strong better worse
stronger weaker popular unpopular vulnerable uneasy guilty innocent welcome fit unfit
unconscious insane bankrupt homeless redundant ineligible eligible late drowsy nauseous
thirsty hungry breathless restless confused
""".split()
)

# Singular verbs and their forms after singular *they* (*she is* → *they are*).
NOMINATIVE_AGREEMENT = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "goes": "go",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
NOMINATIVE_AGREEMENT.update(
    {k.replace("'", "’"): v.replace("'", "’") for k, v in NOMINATIVE_AGREEMENT.items() if "'" in k}
)
# Words between a subject and its verb (*she always keeps*, *he himself says*).
PRE_VERB_WORDS = frozenset(
    """
always never often also still just already really usually sometimes rarely seldom certainly
probably perhaps only even ever again nevertheless thus herself himself no longer alone then
neither not
""".split()
)
# -ches, -oes words whose -s alone is the ending (*aches* → *ache*, *tiptoes* → *tiptoe*).
E_STEMS = frozenset("aches caches niches tiptoes canoes shoes hoes".split())
# -ses words whose stem ends in -s (*focuses* → *focus*; but *causes* → *cause*).
S_STEMS = frozenset("focuses biases buses gases canvases aliases".split())
# *she's* is *she has* before these (*she's been*, *she's had enough*), and before a past
# participle with an object (*she's seen it*); otherwise *she is* (*she's tired*).
HAS_PARTICIPLES = frozenset(
    "been got gotten had won eaten written gone come become begun taught arrived died".split()
)
# -ed words that are mostly adjectives after *she's* (*she's tired*, *he's married*).
ADJECTIVAL_PARTICIPLES = frozenset(
    """
tired excited interested married retired divorced engaged worried scared bored pleased
surprised injured qualified determined involved concerned supposed used allowed expected
based located named known born dressed prepared annoyed embarrassed confused disappointed
amazed shocked frightened exhausted relieved ashamed convinced satisfied obsessed
""".split()
)
# Irregular participles that also read as adjectives (*she's done*, *he's known for*): *has*
# only with an object after them; every other past participle after *'s* is *has*.
PARTICIPLES = frozenset("done known broken lost hidden drunk worn".split())
IRREGULAR_PARTICIPLES = frozenset(
    """
seen taken given made driven shown told found bought brought thought heard met sent spent
left kept held read run sung chosen spoken stolen forgotten grown thrown flown ridden fallen
""".split()
)
OBJECT_STARTS = frozenset(
    """
a an the this that these those my your his her its our their it him them me us you some any
no every all both each another enough
""".split()
)
# Short asides between a subject and its verb (*he, too, is*).
_ASIDE = re.compile(
    r"\s*,\s*(?:too|also|however|though|then|therefore|meanwhile|instead|indeed|of course|"
    r"in fact|for example|in turn|in particular|at least|as well),",
    re.IGNORECASE,
)
# A question word with a contracted *is*/*has* before its subject (*Where's she going?*).
_QUESTION_S = re.compile(r"\b(?:who|what|where|when|why|how)(['’]s)\s+$", re.IGNORECASE)
# Words after which a verb leads its clause: *Who is she?*, *Does he know?* (the verb agrees).
QUESTION_OPENERS = frozenset("who what where when why how which whom whose".split())
# Words after which a verb comes before its subject (*So is she.*, *Neither does he.*).
INVERSION_OPENERS = frozenset("so neither nor".split())
_QUESTION_PHRASE = re.compile(
    r"(?:^|[.!?;:]\s*|\s)(?:how|which|what|whose)(?:\s+[\w'’-]+){1,2}\s+$", re.IGNORECASE
)
# An honorific after a pronoun refers to the person (*Her Majesty*, *His Excellency*),
# unless it is the possessive that names an institution (*Her Majesty's Theatre*).
_HONORIFIC_AFTER = re.compile(
    r"\s+(?:(?:Royal|Imperial|Serene|Most)\s+)?"
    r"(?:Majesty|Highness|Excellency|Ladyship|Lordship|Grace|Holiness|Eminence|Honour|Honor"
    r"|Worship)\b(?!['’]s)"
)
# *Her Majesty's* before a capitalised word names an institution.
_INSTITUTION_AFTER = re.compile(r"\s+(?:Majesty|Highness)['’]s\s+[A-Z]")
# A pronoun's letters in a gene or protein name: HER-2, HER2, Her-2/neu.
_GENE_AFTER = re.compile(r"-?\d")
_CLAUSE_END = re.compile(r"[.;:!?]")
_COORDINATED = re.compile(r"(?:\b(?:and|or|but|nor)|,)\s+([A-Za-z]+s)\b")
# Verbs that take a clause with its own subject after them (*she says her son reads*).
REPORTING_VERBS = frozenset(
    """
say think believe know hope feel claim argue insist suggest explain admit realize realise
notice fear worry guess suppose assume doubt wish hear
""".split()
)
# Words that open another clause, whose verbs have their own subject (*runs a company that
# makes shoes and sells them*; *says her daughter plays chess and reads*).
_OTHER_CLAUSE = re.compile(
    r"\b(?:that|which|who|whom|whose|where|when|while|because|if|although|since|unless|until)\b",
    re.IGNORECASE,
)
_LAST_WORD = re.compile(r"([A-Za-z]+)$")
_WORD_AT_END = re.compile(r"([\w'’]+)\s+$")
_CONTRACTED_S = re.compile(r"['’]s(?![\w'’])")
_COORDINATED_BEFORE = re.compile(
    r"\b(?:his|their|its|my|your|our)\s*(?:\(\s*)?(?:,|/|or|and|nor)\s*$", re.IGNORECASE
)
_COORDINATED_DETERMINER = re.compile(
    r"(?:\s*\(?\s*(?:or|and|nor|and/or)\s+|\s*/\s*|\s*,\s*(?=(?:his|her|their)\b))(\w+)",
    re.IGNORECASE,
)


def _has_reading(text: str, end: int) -> bool:
    """Whether a contracted *'s* ending at ``end`` (or a subject after *Where's*) is *has*:
    before *been*/*got*/*had*, or a past participle with an object, past adverbs."""
    m = _past_adverbs(text, end)
    if m is None:
        return False
    word = m.group(1).lower()
    if word in HAS_PARTICIPLES or word in IRREGULAR_PARTICIPLES:
        return True
    if word in PARTICIPLES or word in ADJECTIVAL_PARTICIPLES:
        after = next_token(text, m.end(1))
        return after is not None and after.lower() in OBJECT_STARTS
    return word.endswith("ed") and len(word) > 3  # she's lived here: has


def _past_adverbs(text: str, pos: int) -> re.Match[str] | None:
    """The first token after ``pos`` past at most two words such as *always* or *-ly*
    adverbs (the verb's place after a subject); None when there is none."""
    for _ in range(3):
        m = NEXT.match(text, pos)
        word = m.group(1) if m else None
        if not word:
            return None
        low = word.lower()
        if low not in PRE_VERB_WORDS and not (low.endswith("ly") and len(low) > 4):
            return m
        pos = m.end(1)
    return None


def _verb_after(text: str, end: int) -> Edit | None:
    """The agreement edit for the verb after a subject ending at ``end`` (past words
    such as *always* and *-ly* adverbs, and asides such as *, too,*), if that verb is
    third-person singular."""
    aside = _ASIDE.match(text, end)
    m = _past_adverbs(text, aside.end() if aside else end)
    if m is None:
        return None
    word = m.group(1)
    new = _base_form(word)
    if new is None:
        return None
    start = m.start(1)
    return Edit(start, start + len(word), word, new, "en.agreement.they")


def _inverted_verb(text: str, start: int) -> Edit | None:
    """The agreement edit for a verb that comes before its subject in a question
    (*Is she here?*, *Why does he know?*, *..., isn't she?*): the verb opens the
    sentence or a tag, or follows a question word."""
    window = text[max(0, start - 40) : start]
    m = _WORD_AT_END.search(window)
    if not m:
        return None
    verb = m.group(1)
    new = NOMINATIVE_AGREEMENT.get(verb.lower())
    if new is None:
        return None
    verb_start = start - len(window) + m.start(1)
    prev = prev_token(text, verb_start)
    opens = (
        prev is None
        or prev.lower() in QUESTION_OPENERS
        or prev.lower() in INVERSION_OPENERS
        or _question_word_before(text, verb_start)
        or opens_sentence(text, verb_start)
        or text[:verb_start].rstrip().endswith(",")  # a tag question: ..., isn't she?
    )
    if not opens:
        return None
    if verb[0].isupper():
        new = new[0].upper() + new[1:]
    return Edit(verb_start, verb_start + len(verb), verb, new, "en.agreement.they")


def _question_word_before(text: str, start: int) -> bool:
    """Whether a question word opens the few words before ``start`` (*How old is she?*,
    *Which school does he attend?*)."""
    window = text[max(0, start - 30) : start]
    m = _QUESTION_PHRASE.search(window)
    return m is not None and text.find("?", start) != -1


def _coordinated_verbs(text: str, end: int) -> list[Edit]:
    """Agreement edits for verbs joined to the one ending at ``end`` in the same clause
    (*she studies law and teaches history*). Only verbs known to be verbs are changed, so
    a plural noun (*likes cats and dogs*) is never taken for one."""
    verb = _LAST_WORD.search(text, max(0, end - 20), end)
    if verb and (_base_form(verb.group(1)) or "").lower() in REPORTING_VERBS:
        return []  # she says her daughter plays chess and reads: another subject's verbs
    clause = _CLAUSE_END.search(text, end)
    stop = clause.start() if clause else len(text)
    other = _OTHER_CLAUSE.search(text, end, stop)
    if other:
        stop = other.start()
    edits = []
    for m in _COORDINATED.finditer(text, end, stop):
        word = m.group(1)
        new = _base_form(word)
        known = new is not None and (
            new.lower() in KNOWN_VERBS or word.lower() in NOMINATIVE_AGREEMENT
        )
        if known and new != word:
            edits.append(Edit(m.start(1), m.end(1), word, new, "en.agreement.they"))
            if new.lower() in REPORTING_VERBS:
                break  # ... and says [what follows has its own subject]
    return edits


def _base_form(verb: str) -> str | None:
    """The form of a present-tense verb after *they*: *likes* → *like*, *tries* → *try*,
    *watches* → *watch*, *is* → *are*, *doesn't* → *don't*; None for a word that is not a
    third-person singular verb form."""
    low = verb.lower()
    new = NOMINATIVE_AGREEMENT.get(low)
    if new is None:
        if not low.isalpha() or not low.endswith("s") or low.endswith(("ss", "us", "is")):
            return None
        if low.endswith("ies"):
            new = low[:-3] + "y" if len(low) > 4 else low[:-1]  # tries; dies, lies
        elif (
            low.endswith(("sses", "shes", "xes", "zzes", "ches", "oes")) and low not in E_STEMS
        ) or low in S_STEMS:
            new = low[:-2]
        else:
            new = low[:-1]
    return new.upper() if verb.isupper() and len(verb) > 1 else new


def _address(text: str, match: Match) -> bool:
    """Whether *sir* is a form of address (*Yes, sir!*, *Sir, you're late*, *Dear Sir*), not
    a noun (*a sir*, *appointed as sir*) or a title before a name (*Sir John*)."""
    nxt = next_token(text, match.end)
    if nxt is not None and nxt[0].isupper() and nxt != "I":
        return False  # Sir John
    if text[max(0, match.start - 8) : match.start].rstrip()[-1:] in (
        "",
        ",",
        "!",
        "?",
        ";",
        ":",
        '"',
        "“",
        "(",
        "—",
    ):
        if nxt is None or not (nxt[0].isalnum() or nxt[0] == "_"):
            return True
        return nxt.lower() in ADDRESS_FOLLOWERS  # Sir, ...; Sir I have a question
    prev = prev_token(text, match.start)
    return prev is not None and prev.lower() in ADDRESS_OPENERS


def _office_or_my(text: str, match: Match) -> str | None:
    """*Madam President* -> *Mr. President*; *my lady* -> *my lord* (an address, not the
    social noun *a lady* -> *a gentleman*)."""
    low = match.text.lower()
    if low == "madam":
        nxt = next_token(text, match.end)
        return "Mr." if nxt in OFFICES else None
    prev = prev_token(text, match.start)
    return "lord" if prev is not None and prev.lower() in ("my", "your") else None


def _office_after(text: str, match: Match) -> bool:
    """Whether an office follows the title at ``match`` (*Mr. President*, *Mister Speaker*)."""
    end = match.end + (text[match.end : match.end + 1] == ".")
    nxt = next_token(text, end)
    return nxt is not None and nxt[0].isupper() and nxt.capitalize() in OFFICES


def _drop_title_period(text: str, result: Rewrite) -> None:
    """*Madam* written for *Mr.* takes no period: *Mr. President* -> *Madam President*."""
    for i, edit in enumerate(result.edits):
        if (
            edit.rule == "en.address"
            and edit.old.capitalize() in OFFICE_TITLES
            and text[edit.end : edit.end + 1] == "."
        ):
            result.edits[i] = replace(edit, end=edit.end + 1, old=edit.old + ".")


def _after_determiner(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows an article or demonstrative."""
    prev = prev_token(text, start)
    return prev is not None and prev.lower() in ("the", "a", "an", "this", "that", "our", "its")


@lru_cache(maxsize=4096)
def takes_an(word: str) -> bool:
    """Whether *an* goes before ``word``: it starts with a vowel sound (*an heir*, *an
    American*; but *a Ukrainian*, *a European*, *a one-off*)."""
    low = word.lower()
    if len(word) > 1 and word.isupper():  # an acronym is read letter by letter: an LGBT
        return word[0] in "AEFHILMNORSX"
    if low.startswith(_A_BEFORE_VOWEL):
        return False
    return low[:1] in ("a", "e", "i", "o", "u") or low.startswith(_AN_BEFORE_H)


def _fix_articles(text: str, result: Rewrite) -> None:
    """*a*/*an* before a replaced word follows the new word's first sound (*an American*
    -> *a British*, *an old man* -> *a young man*)."""
    extra: list[Edit] = []
    for edit in result.edits:
        start = edit.start
        if start < 2 or not text[start - 1].isspace():
            continue
        if text[start - 2 : start] not in _ARTICLE_ENDS and not text[start - 2].isspace():
            continue  # (cheapest test first: most edits have no article before them)
        if not edit.new[:1].isalpha() or takes_an(edit.new) == takes_an(edit.old):
            continue
        m = _ARTICLE_BEFORE.search(text, max(0, edit.start - 8), edit.start)
        if not m:
            continue
        article = m.group(1)
        new = "an" if takes_an(edit.new) else "a"
        if article.lower() == new:
            continue  # not right for the old word either: left as written
        if article.isupper() and (len(article) > 1 or edit.old.isupper()):
            new = new.upper()  # AN AMERICAN; a one-letter A takes the case of its word
        elif article[0].isupper():
            new = new.capitalize()
        extra.append(Edit(m.start(1), m.end(1), article, new, "en.article"))
    result.edits.extend(extra)


def _coordinates_determiners(text: str, end: int) -> bool:
    """Whether the pronoun ending at ``end`` is joined to a possessive determiner by *or*,
    *and* or a slash (*his or her*, *his/her*, *her and his*)."""
    m = _COORDINATED_DETERMINER.match(text, end)
    if not m:
        return False
    other = m.group(1).lower()
    # (*her and her co-star*: the same word twice is an object and a determiner)
    return other in POSSESSIVE_DETERMINERS and other != text[end - 3 : end].lower()


def _ly_adverb(text: str, end: int, word: str) -> bool:
    """Whether ``word``, after the pronoun ending at ``end``, is an -ly adverb that closes
    the verb phrase (*held her tightly.*, *knew her well and*): the pronoun is an object."""
    if not word.endswith("ly") or len(word) < 4:
        return False
    if word in LY_NOT_ADVERBS and word not in AMBIGUOUS_LY:
        return False
    if word == "only":  # knew her only slightly, saw her only once (but her only son)
        after = second_token(text, end)
        low = after.lower() if after else ""
        return low.endswith("ly") or low in ("once", "twice", "briefly", "recently")
    return _closes_phrase(text, end)


def _time_phrase(text: str, match: Match, prev: str) -> bool:
    """Whether *last*/*next*/*this*/*one* after *her* starts a time adverbial (*saw her last
    night*) or *more*/*better*/*less* a comparison (*loves her more than*): then *her* is
    an object, unless a verb of spending or a preposition governs the phrase (*spent her
    last night in Paris*, *on her last day*)."""
    after = second_token(text, match.end)
    low = after.lower() if after else ""
    if (next_token(text, match.end) or "").lower() in ("more", "better", "less"):
        return low == "than"
    if not low or (low not in TIME_NOUNS and after not in WEEKDAYS):
        return False
    return bool(prev) and prev not in SPEND_VERBS and prev not in TIME_PREPOSITIONS


def _every_time(text: str, end: int) -> bool:
    """Whether *every* after the pronoun ending at ``end`` starts a time adverbial (*every
    week*, *every Monday*, *every few days*, *every other year*)."""
    after = second_token(text, end)
    if after is None:
        return False
    low = after.lower()
    if low.isdigit() or low in NUMBERS:  # every two hours, every 4 weeks
        m = NEXT.match(text, end)
        unit = second_token(text, m.end(1))
        return unit is not None and unit.lower() in DURATIONS
    return low in TIME_NOUNS or low in EVERY_TIME_WORDS or after in WEEKDAYS


def _adverb_closes(text: str, end: int) -> bool:
    """Whether the place or time adverb after ``end`` ends its phrase: punctuation, the end
    of the text, a preposition or determiner, a time word or an -ly adverb follows it (so
    it is not an adjective before a noun: *her upstairs neighbour*)."""
    after = second_token(text, end)
    if after is None or not after[0].isalnum():
        return True
    low = after.lower()
    return low in OBJECT_FOLLOWERS or low in TIME_MODIFIERS or low.endswith("ly")


def _double_genitive_verb(text: str, match: Match, word: str) -> bool:
    """Whether an -s word after *of his* is its clause's verb (*a cousin of his runs the
    bakery*, *that smile of his drives me crazy*): an object follows it and no partitive
    comes before *of* (*one of his runs the*... would read *runs* as a noun)."""
    if not word.endswith("s") or word.endswith("ss") or _base_form(word) is None:
        return False
    after = second_token(text, match.end)
    if after is None or after.lower() not in OBJECT_STARTS:
        return False
    of_start = text.rfind("of", 0, match.start)
    before = prev_token(text, of_start) if of_start > 0 else None
    return before is None or before.lower() not in PARTITIVES


def _object_before_phrase(text: str, end: int, word: str, prev: str) -> bool:
    """Whether what follows *her* (ending at ``end``) after the verb ``prev`` makes it an
    object: *kissed her goodbye*, *it took her three years to*, *denied her entry*, *had
    her arrested*, *got her thinking* (but *said her goodbye*, *took her three children*,
    *denied her involvement*, *had her injured leg examined*, *got her driving licence*)."""
    if word in FAREWELLS:
        return prev in GREETING_VERBS
    if prev in TAKE_VERBS and _duration(text, end, word):
        return True
    if prev in DENY_VERBS and word in DENIED:
        return True
    if prev in PARTICIPLE_VERBS and _participle_closes(text, end, word):
        return True
    return prev in GET_VERBS and word.endswith("ing") and _closes_phrase(text, end)


def _intensified(text: str, end: int, word: str, prev: str) -> bool:
    """Whether *very*, *just*, *right*, *most* or *least* after the pronoun ending at
    ``end`` modifies an adverb or closes the phrase, so the pronoun is an object (*love her
    very much*, *saw her just now*, *treated her right.*, *hit her right in the face*, *miss
    about her most is*); not before a noun (*her very own*, *her just deserts*, *her right
    hand*, *to her right*, *her most famous role*)."""
    after = second_token(text, end)
    low = after.lower() if after else ""
    if word == "very":
        return low in ("much", "well") or (low.endswith("ly") and low not in LY_NOT_ADVERBS)
    if word == "just":
        return low in OBJECT_FOLLOWERS
    if word == "right":
        if prev in TIME_PREPOSITIONS or prev in ("to", "toward", "towards"):
            return False  # to her right, on her right (a side)
        if after is None or not after[0].isalnum() or low in RIGHT_CLOSERS:
            return True
        return low in ("in", "on", "at", "into") and _right_place(text, end)
    return _phrase_ends_after(text, end, OBJECT_FOLLOWERS)  # most, least


def _right_place(text: str, end: int) -> bool:
    """Whether *right in/on/at* after ``end`` goes on with *the* and a place on the body or
    in a space (*right in the face*, *right at the end*), not a right in law (*her right in
    court*)."""
    m = _THE_PLACE.match(text, end)
    return m is not None and m.group(1).lower() in RIGHT_PLACES


def _duration(text: str, end: int, word: str) -> bool:
    """Whether a number and a time unit follow the pronoun ending at ``end`` and close the
    phrase (*it took her three years to finish*; but *took her three children*, *took her
    two weeks of leave*)."""
    if not (word.isdigit() or word in NUMBERS):
        return False
    m = NEXT.match(text, end)
    unit_end = m.end(1)
    unit = next_token(text, unit_end)
    if unit is None or unit.lower() not in DURATIONS:
        return False
    return _phrase_ends_after(text, unit_end, DURATION_CLOSERS)


def _participle_closes(text: str, end: int, word: str) -> bool:
    """Whether ``word`` after the pronoun ending at ``end`` is a past participle that closes
    the phrase (*had her arrested.*, *want her fired by Monday*), not an adjective before a
    noun (*had her injured leg examined*)."""
    regular = word.endswith("ed") and len(word) > 4 and not word.endswith("eed")
    if not regular and word not in OBJECT_PARTICIPLES:
        return False
    return _phrase_ends_after(text, end, OBJECT_FOLLOWERS)


def _his_and_his(text: str, end: int) -> bool:
    """Whether *his* ending at ``end`` is joined by *and*/*or* to another *his* before a
    noun (*his and his brother's shares*): both are determiners. (*his and his alone*
    stands alone.)"""
    m = _COORDINATED_DETERMINER.match(text, end)
    if not m or m.group(1).lower() != "his":
        return False
    after = next_token(text, m.end(1))
    if after is None or not after[0].isalnum():
        return False
    low = after.lower()
    return low not in STANDALONE_FOLLOWERS and low not in STANDALONE_ADVERBS


def _noun_will(text: str, match: Match) -> bool:
    """Whether *will*/*might* after the pronoun at ``match`` is a noun (*against her will*,
    *her will was read*, *with all his might*), not a modal verb (*her will be*)."""
    prev = prev_token(text, match.start)
    if prev is not None and prev.lower() in NOUN_WILL_BEFORE:
        # but a modal before a verb after a double genitive: *a colleague of his will cover*
        return not (prev.lower() == "of" and _modal_verb_after(text, match.end))
    return _phrase_ends_after(text, match.end, NOUN_WILL_AFTER)


def _word_before(text: str, start: int) -> str:
    """The lower-case word before the word that ends before ``start`` (*was* in *was given
    her*), or an empty string."""
    prev_end = text.rfind(" ", 0, len(text[:start].rstrip()))
    if prev_end < 0:
        return ""
    word = prev_token(text, prev_end)
    return word.lower() if word else ""


def _modal_verb_after(text: str, end: int) -> bool:
    """Whether the word after *will*/*might* (ending at ``end``) is a verb in the base form
    or a word that goes before one (*will cover*, *will be*, *might not*), not a word that
    follows the noun (*of her will and*, *of his will dated 2010*, *of her will she left*)."""
    after = second_token(text, end)
    if after is None or not after[0].isalpha() or not after.islower():
        return False
    if after in MODAL_FOLLOWERS or after in KNOWN_VERBS:
        return True
    return after not in OBJECT_FOLLOWERS and not after.endswith(("s", "ed", "ing", "ly"))


def _verb_phrase_after(text: str, end: int) -> bool:
    """Whether the word after ``end`` is followed by punctuation or an object-like word
    (*called.*, *called me*), so it is a verb, not an adjective before a noun."""
    return _phrase_ends_after(text, end, OBJECT_FOLLOWERS)


def _partner_after(text: str, end: int) -> bool:
    """Whether a partner word follows the adverb after ``end`` (*her then husband*)."""
    after = second_token(text, end)
    return after is not None and after.lower() in PARTNERS


def _closes_phrase(text: str, end: int) -> bool:
    """Whether the word after ``end`` is followed by punctuation, the end of the text or a
    word that opens a new phrase (so that word is not a determiner's noun phrase)."""
    return _phrase_ends_after(text, end, _AFTER_ADVERB)


def _phrase_ends_after(text: str, end: int, openers: frozenset[str]) -> bool:
    """Whether the word after ``end`` is followed by punctuation, the end of the text or
    one of ``openers`` (a word that starts something else than that word's noun phrase)."""
    after = second_token(text, end)
    return after is None or not after[0].isalnum() or after.lower() in openers


def _in_title(text: str, start: int, end: int) -> bool:
    """Whether the capitalised word at ``start:end`` sits inside a Title Case name.

    It does when the next word is capitalised too, or when no lower-case word follows and
    the previous word (looking past small words like *and*, *of*) is capitalised without
    opening the sentence; never when the whole text is written in Title Case.
    """
    nxt = _NEXT_WORD.match(text, end)
    if nxt and nxt.group(1).islower():
        return False
    if not (nxt and nxt.group(1).isupper()) and not _prev_capitalised(text, start):
        return False
    # the other words, less the first: mostly capitalised means Title Case writing
    words = [*_WORD.findall(text, 0, start)[1:], *_WORD.findall(text, end)]
    words = [w for w in words if w.lower() not in TITLE_FUNCTION_WORDS]
    return sum(w[0].isupper() for w in words) < 0.7 * len(words)


def _names_a_work(text: str, start: int, end: int) -> bool:
    """Whether the capitalised noun at ``start:end`` is part of the name of a creative work.

    Annotators keep such names (*Little Women (1994)*, the band *Girls Aloud*) and swap the
    names of awards, schools and teams, which describe the person (*Best Actress*, *Girls'
    High School*). A name is taken for a work when a word like *film* or *novel* comes in
    the 120 characters before it or a year in brackets follows it. (Cheapest tests first.)
    """
    nxt = _NEXT_WORD.match(text, end + (text[end : end + 1] == "."))  # (Mrs. Doubtfire)
    if not (
        (nxt and nxt.group(1).isupper())
        or _prev_capitalised(text, start)
        or (_FUNCTION_WORD_THEN_CAPITAL.match(text, end) and _cue_before(text, start))
        or _cued_article_before(text, start)
    ):
        return False
    before = text[max(0, start - 120) : start]
    if not (
        _YEAR_AFTER.match(text, end)
        or _WORK_CUE.search(before.lower())
        or (
            _CAPITAL_SMALL_WORD_BEFORE.search(before, max(0, len(before) - 80))
            and not title_case(text)  # every small word is capitalised in a headline
        )
    ):
        return False
    return not _CATEGORY_CUE.search(text, max(0, start - 60), end + 60) and not opens_sentence(
        text, start
    )


# Titles that chat writes in lower case before a name (*hi mrs jones*); *miss* is mostly
# the verb, *mx* also a DNS record, and *sir*, *lord*, *lady* are nouns (gender-nouns.yaml).
CHAT_TITLES = frozenset(("mr", "mrs", "ms"))
# what follows *ms* when it is not a title: Microsoft's products (*ms teams*)
_NOT_A_NAME_AFTER_MS = frozenset(
    "word excel teams office outlook paint access edge windows dos sql project powerpoint "
    "onenote forms store".split()
)
_CHAT_TITLE_NAME = re.compile(r"\.? ?([^\W\d_][\w'’-]*)")


# *everyone but her*, *nobody except her*: the pronoun is the verb's subject's exception
_ALL_OR_NONE = frozenset(
    "everyone everybody nobody one anyone anybody someone somebody all none noone".split())
_PAST_VERBS = frozenset(
    """
came knew went saw said did had was left got made took found thought told felt became ran
wrote spoke stood sat heard understood won lost kept seemed laughed cried smiled stayed
""".split())


def _everyone_but_her(text: str, match: Match, word: str) -> bool:
    """Whether *her* after *except*/*but* that follows *everyone*, *nobody*, *no one*...
    is the object of the exception before a past verb (*Everyone except her came*), not a
    possessive (*but her mother came*): the next word is a known past verb, or ends in
    *-ed* and is followed by no noun-like word."""
    before = text[: match.start].split()[:-1]  # the words before *except*/*but*
    last = before[-1].lower().strip(",") if before else ""
    if last not in _ALL_OR_NONE:
        return False
    if word in _PAST_VERBS:
        return True
    if not word.endswith("ed") or len(word) < 5:
        return False
    after = second_token(text, match.end)
    return after is None or not after[0].isalpha() or after.lower() in OBJECT_FOLLOWERS


# Pregnancy, birth, breastfeeding and sex-specific organs: a swap of a text that speaks of
# them may say them of the other sex (*His sister's husband is pregnant*): unsafe.
_SEX_BIOLOGY_HINT = re.compile("pregnan|birth|breastfe|miscarr|menstru|uter|ovar|prostat|"
                               "testic|section|sarean|lactat")
_SEX_BIOLOGY = re.compile(
    r"\b(?:pregnan(?:t|cy|cies)|(?:gave|give|gives|giving|given) birth|"
    r"breastfe(?:d|ed|eds|eding)|miscarr(?:y|ied|iage|iages)|menstrua\w*|uterus|uterine|"
    r"ovar(?:y|ies|ian)|prostate|testic(?:le|les|ular)|c-section|ca?esarean|lactating)\b",
    re.IGNORECASE,
)


def _mark_sex_biology(text: str, result: Rewrite) -> None:
    """A gender swap of a text about pregnancy, birth or a sex-specific organ is unsafe."""
    if not _SEX_BIOLOGY_HINT.search(text.lower()):
        return
    found = _SEX_BIOLOGY.search(text)
    if found:
        result.unsafe.append(f"{found.group()!r} is said of one sex only: the swapped text "
                             "may say it of the other")


# *he's*, *she's* written without the apostrophe, capitalised
_APOSTROPHELESS = frozenset(("Hes", "Shes", "HES", "SHES"))


def _chat_title(text: str, start: int, end: int) -> bool:
    """Whether a lower-case *mr*, *mrs* or *ms* is a title before a name (chat: *hi mrs
    jones*): after a space or the start, before a word that is not a function word, and
    not after a number (*50 ms delay* has no title)."""
    if start and not text[start - 1].isspace():
        return False
    if text[:start].rstrip()[-1:].isdigit():
        return False  # a unit: *after 50 ms delay*
    name = _CHAT_TITLE_NAME.match(text, end)
    if name is None:
        return False
    word = name.group(1)
    if word in TITLE_LOWER or (text[start:end] == "ms" and word in _NOT_A_NAME_AFTER_MS):
        return False
    return text[end] == " " or text[end] == "."


def _after_lower_case_word(text: str, start: int) -> bool:
    """Whether a lower-case letter and a space come right before ``start`` (a cheap test
    before looking the word up)."""
    return start > 1 and text[start - 1] == " " and text[start - 2].islower()


def _cued_article_before(text: str, start: int) -> bool:
    """Whether a capitalised article inside the sentence, after a work cue, comes right
    before ``start`` (*the film The Godfather*, *the musical The King and I*)."""
    if not text.endswith(("The ", "A ", "An "), 0, start):
        return False
    m = _CUE_ARTICLE_BEFORE.search(text, max(0, start - 30), start)
    return m is not None and m.group(1) in NAME_CUES


def _firm_name(text: str, start: int) -> bool:
    """Whether the plural kin noun at ``start`` follows a capitalised word inside the
    sentence, right before it or before *and*/*&*, that is not a possessive (*Lehman
    Brothers*, *Rajwade and Sons*; but *Job's Daughters*, *the Sisters of St Joseph*, *the
    High School for Sons*)."""
    prev = prev_token(text, start)
    if prev is None or prev.endswith(("'s", "’s")):
        return False
    if prev not in ("and", "&") and not prev[0].isupper():
        return False
    return _prev_capitalised(text, start)


def _interjection(text: str, start: int, end: int) -> bool:
    """Whether *Man* or *Boy* at ``start`` opens its sentence as an interjection, with a
    comma or an exclamation mark and no age after it (*Man, she was fast!*; but *Man, 45,
    charged*)."""
    if text[end : end + 1] not in (",", "!") or not opens_sentence(text, start):
        return False
    nxt = next_token(text, end + 1)
    return nxt is None or not nxt[0].isdigit()


def _the_lords(text: str, start: int, end: int) -> bool:
    """Whether a capitalised *Lords* after *the* names the House of Lords (*addressed the
    Lords*), not peers of something (*the Lords of the Admiralty*)."""
    return prev_token(text, start) in ("the", "The") and next_token(text, end) != "of"


def _cue_before(text: str, start: int) -> bool:
    """Whether a work cue other than *named*/*called* is the word right before ``start``
    (*the band Men at Work*)."""
    prev = prev_token(text, start)
    return prev is not None and prev.lower() in NAME_CUES


def _names_a_place(text: str, end: int, *, singular: bool) -> bool:
    """Whether the capitalised word ending at ``end`` starts or continues the name of a
    street or building, or, for a ``singular`` word (a title before a name, not the
    *Girls* of a girls' school), of an institution."""
    run = _CAPITALISED_AFTER.match(text, end)
    if not run:
        return False
    words = run.group().split()
    if any(w in PLACE_WORDS for w in words):
        return True
    return singular and words[0][0].isupper() and any(w in INSTITUTION_WORDS for w in words)


def _title_in_use(text: str, start: int, end: int) -> bool:
    """Whether a title-only word (*Earl*, *Mr*, *Sir*) is used as a title: before a name or
    *of* (*Earl Spencer*, *Mr. Smith*, *Earl of Derby*), or after a determiner or ordinal
    (*the fifth Earl*). Otherwise it is a first name (*Sam called Earl*) and stays."""
    if _TITLE_NEXT.match(text, end):
        return True
    prev = prev_token(text, start)
    return prev is not None and prev.lower() in TITLE_DETERMINERS


def _prev_capitalised(text: str, start: int) -> bool:
    """Whether the previous word, looking past small words like *and*, *of*, is capitalised
    and does not open the sentence (words read on the reversed text before ``start``)."""
    window = text[max(0, start - 120) : start][::-1]
    pos = 0
    for _ in range(4):
        m = _WORD_BEFORE_REVERSED.match(window, pos)
        if not m:
            return False
        run = m.group(1)[::-1]
        first = next((i for i, ch in enumerate(run) if ch.isalpha()), None)
        if first is None:
            return False
        word = run[first:]
        if word.lower() not in TITLE_FUNCTION_WORDS:
            return word[0].isupper() and not opens_sentence(text, start - m.end(1) + first)
        pos = m.end(1)
    return False


# Second first names of double first names that the names lexicon lacks (*Mary Kate*, *Sarah
# Jane*, *Lisa Marie*, *John Paul*): next to a swapped first name of the same gender, the
# variant is unsafe (names.DoubleNames). Names that are also frequent surnames (*Rose*,
# *Lynn*, *May*) are left out. A name of the lexicon counts too: of the swapped name's
# gender it is marked even where it is a surname (*Jack Harris* → *Freya Harris*, unsafe:
# it may be a double first name); of the other gender it is a surname (*Emily Harris* →
# *Oisin Harris*, safe).
SECOND_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("Anne", "Ann", "Jane", "Kate", "Marie", "Mae", "Louise", "Beth", "Sue"), ("female",)
    ),
    "Paul": ("male",),
    "Jo": ("male", "female"),
}


class _Kind(NamedTuple):
    """What the rules ask of a reading set: its parts of speech and cases."""

    titles_only: bool
    pronoun: bool  # pronouns and determiners only
    noun: bool  # nouns and adjectives only
    named: bool  # nouns, adjectives and titles: words that can stand in a name
    singular: bool
    title_or_noun: bool  # both a title and another reading (*Lady*)
    cases: frozenset[str | None]  # pronoun cases (*her*: obj, poss)
    address: bool  # a form of address (*sir*)
    office: bool  # a title that addresses an office (*Mr. President*)


class EnglishGrammar(Grammar):
    """English rules on top of the lexicon: pronoun case, title context, singular *they*.

    On the identity axes (every axis but ``gender``) :meth:`rewrite` also runs the rules of
    :class:`.english_identity.EnglishIdentityRules`.
    """

    language = "en"
    # lower-case matches go to ``Grammar.accept`` unchanged (see :meth:`accept`)
    lowercase_accept_is_lexical = True

    def __init__(self, lexicons: LexiconSet) -> None:
        super().__init__(lexicons)
        self._by_reading: dict[tuple, Decision] = {}
        self._kinds: dict[tuple[Candidate, ...], _Kind] = {}
        self._plural = frozenset(e.id for e in lexicons.entries if e.features.get("number") == "pl")
        # the identity axes' rules (none on gender)
        self._identity_rules: EnglishIdentityRules | None = None
        if lexicons.axis != "gender":
            self._identity_rules = EnglishIdentityRules(lexicons)
        # names axis: a double first name swapped by half (Mary Kate -> James Kate) is unsafe
        self._double_names: DoubleNames | None = None
        if lexicons.axis == "names":
            self._double_names = DoubleNames(lexicons, SECOND_FIRST_NAMES)
        self._address_entries = frozenset(
            e.id
            for e in lexicons.entries
            if e.pos == "noun" and any(f.lower() in ADDRESS_FORMS for f in e.forms.get("male", ()))
        )
        # *Mr*/*Mister* before an office is an address: *Mr. President* -> *Madam President*
        self._office_titles = frozenset(
            e.id
            for e in lexicons.entries
            if e.pos == "title" and any(f in OFFICE_TITLES for f in e.forms.get("male", ()))
        )

    def spellings(self, form: str) -> tuple[str, ...]:
        """Forms with an apostrophe (*ladies' man*, *ma'am*) are also read with ’."""
        return (form, form.replace("'", "’")) if "'" in form else (form,)

    def _lowercase_accept(self) -> Callable[[str, tuple[Candidate, ...]], bool | None] | None:
        """On the identity axes a lower-case match depends on the whole text (chat written
        without capitals: :meth:`EnglishIdentityRules.reads_lower_case`), so :meth:`accept`
        is asked for each; on the gender axis the lexicon settles it once per term, except
        for the titles that chat writes in lower case (*hi mrs jones*)."""
        if self._identity_rules is not None:
            return None
        lexical = super()._lowercase_accept()
        if lexical is None:
            return None

        def settle(key: str, candidates: tuple[Candidate, ...]) -> bool | None:
            return None if key in CHAT_TITLES else lexical(key, candidates)

        return settle

    def accept(self, text: str, start: int, end: int, candidates: tuple[Candidate, ...]) -> bool:
        if text[start].islower():  # (titles are written with a capital: the lexicon vetoes)
            identity = self._identity_rules
            if identity is not None and identity.reads_lower_case(text, start, end, candidates):
                return True
            if text[start:end] in CHAT_TITLES and _chat_title(text, start, end):
                return True  # *hi mrs jones*
            return super().accept(text, start, end, candidates)
        kind = self._kind(candidates)
        word = text[start:end]
        capitalised = word[1:].islower()
        if capitalised and kind.named and _names_a_place(text, end, singular=kind.singular):
            return False  # *Duke Street*, *Queen Anne Grammar School*
        if kind.titles_only:
            if _names_a_work(text, start, end):
                return False  # the film *Mrs. Doubtfire*
            return _title_in_use(text, start, end)
        if word in _APOSTROPHELESS and not opens_sentence(text, start):
            return False  # a surname: *the Hes family*; chat's *Hes late* opens a sentence
        if _GENE_AFTER.match(text, end):
            return False  # a gene or protein name: *HER-2*, *Her2*
        if kind.pronoun and len(word) > 1 and word.isupper() and _after_determiner(text, start):
            return False  # an acronym: *the HIS system* (no determiner comes before a pronoun)
        if capitalised and kind.pronoun:
            if _INSTITUTION_AFTER.match(text, end):
                return False  # *Her Majesty's Theatre*, *Her Majesty's Prison Service*
            if _HONORIFIC_AFTER.match(text, end):
                return True  # *Her Majesty the Queen* -> *His Majesty the King*
            if _in_title(text, start, end):
                # a capitalised pronoun inside a name: *Death Becomes Her*, *Muscle & Fitness
                # Hers*; but not before a kin word used as a name (*His Dad still calls him*)
                return bool(_KIN_NAME_AFTER.match(text, end))
            # right after a noun that cues a work: *the film Her*
            return not (
                _after_lower_case_word(text, start) and prev_token(text, start) in PRONOUN_WORK_CUES
            )
        if capitalised and kind.noun:
            if _names_a_work(text, start, end):
                return False  # *Little Women (1994)*, the band *Girls Aloud*
            if word in FIRM_KIN and _firm_name(text, start):
                return False  # *Lehman Brothers*, *Rajwade and Sons*
            if word in INTERJECTION_NOUNS and _interjection(text, start, end):
                return False  # *Man, she was fast!*
            if word == "Lords" and _the_lords(text, start, end):
                return False  # *addressed the Lords* (the House), not *the Lords of*
        if kind.noun and not word.isupper() and _PROPER_NEXT.match(text, end):
            return False  # part of a proper name: King's College, Prince George
        return super().accept(text, start, end, candidates)

    def _kind(self, candidates: tuple[Candidate, ...]) -> _Kind:
        """What the rules need to know of a reading set (memoised per set: candidates
        compare by identity)."""
        kind = self._kinds.get(candidates)
        if kind is None:
            pos = {c.entry.pos for c in candidates}
            kind = self._kinds[candidates] = _Kind(
                titles_only=pos == {"title"},
                pronoun=pos <= {"pron", "det"},
                noun=pos <= {"noun", "adj"},
                named=pos <= {"noun", "adj", "title", "name"},
                singular=not any(c.entry.id in self._plural for c in candidates),
                title_or_noun="title" in pos and len(pos) > 1,
                cases=frozenset(c.entry.features.get("case") for c in candidates),
                address=any(c.entry.id in self._address_entries for c in candidates),
                office=any(c.entry.id in self._office_titles for c in candidates),
            )
        return kind

    def needs_context(self, candidates: tuple[Candidate, ...]) -> bool:
        """Only terms with several readings (*her*, *his*, *Lady*, *sir*) look at their
        neighbours."""
        return len(candidates) > 1 or any(
            c.entry.id in self._address_entries or c.entry.id in self._office_titles
            for c in candidates
        )

    def choose(self, text: str, match: Match, plan: SwapPlan, matches: list[Match]) -> Decision:
        cands = match.candidates
        kind = self._kind(cands)
        if plan.mapping.get("female") == "male" and match.text.lower() in ("madam", "lady"):
            office = _office_or_my(text, match)
            if office is not None:
                return Decision(office, cands[0], "en.address")
        if (
            kind.office
            and plan.target_of(cands[0].group) == "female"
            and _office_after(text, match)
        ):
            return Decision("Madam", cands[0], "en.address")  # Mr. President -> Madam President
        if kind.address and match.text.lower() in ADDRESS_FORMS and _address(text, match):
            for cand in cands:
                female = plan.target_of(cand.group) == "female"
                if female and cand.entry.id in self._address_entries:
                    return Decision(ADDRESS_FORMS[match.text.lower()], cand, "en.address")
        if len(cands) == 1:
            return super().choose(text, match, plan, matches)
        # a capital marks the rank (*Lady Loftus*, *the fifth Lady* -> *Lord*); the
        # lower-case noun is the social one (*a lady* -> *a gentleman*)
        as_title = match.text[0].isupper() if kind.title_or_noun else None
        cases = kind.cases
        reading = self._pronoun_reading(text, match, cases) if len(cases) > 1 else None
        # the context only picks a reading; the decision for that reading is memoised
        key = (cands, plan.target, as_title, reading)
        decision = self._by_reading.get(key)
        if decision is None:
            decision = self._by_reading[key] = self._decide(match, plan, as_title, reading)
        return decision

    def _decide(
        self, match: Match, plan: SwapPlan, as_title: bool | None, reading: str | None
    ) -> Decision:
        if as_title is not None:  # "Lady Loftus" (title) or "a lady" (noun)
            match = match.narrowed(
                tuple(c for c in match.candidates if (c.entry.pos == "title") == as_title)
            )
        if reading is not None:
            picked = tuple(c for c in match.candidates if c.entry.features.get("case") == reading)
            if picked:
                decision = self._by_lexicon(match.narrowed(picked), plan)
                if decision.new is not None:
                    return Decision(decision.new, decision.candidate, f"en.pronoun.{reading}")
                return decision
        return self._by_lexicon(match, plan)

    def _pronoun_reading(self, text: str, match: Match, cases: frozenset[str | None]) -> str | None:
        nxt = next_token(text, match.end)
        word = nxt.lower() if nxt else None
        is_word = bool(nxt) and (nxt[0].isalnum() or nxt[0] == "_")
        if {"obj", "poss"} <= cases:  # her
            prev = prev_token(text, match.start)
            prev = prev.lower() if prev else ""
            if word in ("will", "might") and (
                _noun_will(text, match) or opens_sentence(text, match.start)
            ):
                return "poss"  # against her will, Her will be done, with all her might
            if word == "back" and (prev in BODY_VERBS or prev in BACK_PREPOSITIONS):
                return "poss"  # hurt her back, behind her back (but took her back)
            if word in ("then", "now") and _partner_after(text, match.end):
                return "poss"  # her then husband
            if prev in ("except", "but") and is_word and _everyone_but_her(text, match, word):
                return "obj"  # Everyone except her came., Nobody but her knew the answer.
            if not is_word:
                coordinated = _coordinates_determiners(text, match.end) or (
                    _COORDINATED_BEFORE.search(text, max(0, match.start - 24), match.start)
                )
                return "poss" if coordinated else "obj"  # his (or her) timesheet
            if prev in SUBORDINATORS:
                return "poss"
            if word in ("or", "and", "nor", "(") and _coordinates_determiners(text, match.end):
                return "poss"  # her or his own lunch
            if word == "every":  # visit her every week, gave her every chance; her every move
                return "obj" if _every_time(text, match.end) or prev in OBJECT_VERBS else "poss"
            if word in PLACE_ADVERBS:  # took her upstairs.; her upstairs neighbour
                return "obj" if _adverb_closes(text, match.end) else "poss"
            if word == "all" and prev in GIVE_VERBS and _closes_phrase(text, match.end):
                return "poss"  # gave her all in the final (but gave her all the money)
            if word in OBJECT_FOLLOWERS or word.endswith(ADVERB_ENDINGS):
                return "obj"
            if word in INTENSIFIERS and _intensified(text, match.end, word, prev):
                return "obj"  # love her very much, saw her just now, hit her right in the face
            if _ly_adverb(text, match.end, word):
                return "obj"  # held her tightly.
            if word in CLOSING_ADVERBS and prev not in COPULAS and _closes_phrase(text, match.end):
                return "obj"  # hit her hard., met her first., saw her last. (not: was her last.)
            if word in TIME_MODIFIERS and _time_phrase(text, match, prev):
                return "obj"  # saw her last night, loves her more than anything
            if prev in PREDICATE_VERBS and word in PREDICATE_ADJECTIVES:
                return "obj"  # made her famous, found her dead
            if prev in PHRASE_VERBS and _object_before_phrase(text, match.end, word, prev):
                return "obj"  # kissed her goodbye, had her arrested, it took her three years
            if prev in SEND_VERBS and word == "home":  # (followed her inside: PLACE_ADVERBS)
                return "obj"  # sent her home (but sold her home)
            if prev in MAKE_VERBS and (
                word in OFFICE_NOUNS or (word == "partner" and _closes_phrase(text, match.end))
            ):
                return "obj"  # made her captain, made her partner in 2015 (but made her debut)
            if prev in CAUSATIVE and (
                word in BASE_VERBS
                or word in COMPARATIVES
                or (second_token(text, match.end) or "").lower() in OBJECT_PRONOUNS
            ):
                return "obj"  # let her enter, let her fool you
            if prev in PERCEPTION_VERBS and (word.endswith("ing") or word in SOUND_VERBS):
                return "obj"  # saw her leaving, heard her scream
            looking = prev == "at" and _word_before(text, match.start) in LOOK_VERBS
            if looking and word in BASE_VERBS:
                return "obj"  # look at her go
            if prev in KEEP_VERBS:
                kept = word in KEPT_STATES or word.endswith(("ing", "ed"))
                return "obj" if kept else "poss"
            if (
                prev in OBJECT_VERBS
                and word not in POSSESSED
                and word not in VERB_POSSESSIONS.get(prev, ())
                and _word_before(text, match.start) not in POSSESSIVE_SUBJECTS
            ):
                # (asked her opinion, called her bluff, she found her stride, was given her
                # insulin: possessive)
                return "obj"
            return "poss"
        if {"poss", "poss_pred"} <= cases:  # his
            if (word in ("or", "and", "nor") or not is_word) and _coordinates_determiners(
                text, match.end
            ):
                return "poss"  # his or her own lunch, his/her, his (or her)
            if word in ("and", "or") and _his_and_his(text, match.end):
                return "poss"  # his and his brother's shares (but his and his alone)
            if word in ("will", "might") and _noun_will(text, match):
                return "poss"  # against his will, with all his might
            if not is_word or word in STANDALONE_FOLLOWERS:
                return "poss_pred"
            if (word, (second_token(text, match.end) or "").lower()) in STANDALONE_PHRASES:
                return "poss_pred"  # the idea was his all along
            if word in STANDALONE_ADVERBS and _closes_phrase(text, match.end):
                return "poss_pred"  # his alone., I like his better. (but his better half)
            if word in STANDALONE_COMPARATIVES and _phrase_ends_after(text, match.end, NO_WORDS):
                return "poss_pred"  # I like his more. (but his more than 200 films)
            prev = prev_token(text, match.start)
            if (
                prev is not None
                and prev.lower() == "of"
                and (
                    word in AFTER_OF_STANDALONE
                    or (word.endswith("ed") and _verb_phrase_after(text, match.end))
                    or _double_genitive_verb(text, match, word)
                )
            ):
                return "poss_pred"  # a friend of his called (but of his favoured dogs)
            return "poss"
        return None

    def rewrite(self, text: str, matches: list[Match], plan: SwapPlan) -> Rewrite:
        identity = self._identity_rules
        if identity is not None:  # (other senses dropped, unsure variants noted)
            matches, unsafe = identity.references(text, matches, plan)
        result = super().rewrite(text, matches, plan)
        if "Mr." in text or "MR." in text:  # (cheap test first: most texts have none)
            _drop_title_period(text, result)
        self._fix_possessives(text, result)
        if plan.target == "neutral" or "neutral" in plan.mapping.values():
            self._agree_they(text, result)
        if identity is not None:
            result.unsafe.extend(unsafe)
            identity.agree(text, result, plan)
        if self._double_names is not None and result.edits:
            self._double_names.mark(text, result)
        if identity is None and result.edits:
            _mark_sex_biology(text, result)
        _fix_articles(text, result)
        return result

    def _fix_possessives(self, text: str, result: Rewrite) -> None:
        """Plural possessives: *gentlemen's* ↔ *ladies'* (the apostrophe follows the noun)."""
        if "'" not in text and "’" not in text:
            return
        extra: list[Edit] = []
        for edit in result.edits:
            after = text[edit.end : edit.end + 3]
            if edit.entry not in self._plural:
                # singular: "empress' offspring" -> "emperor's offspring"
                if (
                    edit.old[-1:] in "sS"
                    and edit.new[-1:] not in "sS"
                    and after[:1] in ("'", "’")
                    and (len(after) < 2 or not after[1].isalnum())
                ):
                    extra.append(
                        Edit(edit.end, edit.end + 1, after[0], after[0] + "s", "en.possessive")
                    )
                continue
            ends_s = edit.new[-1:] in "sS"
            if (
                ends_s
                and edit.old[-1:] not in "sS"
                and after[:2] in ("'s", "’s")
                and (len(after) < 3 or not after[2].isalnum())
            ):
                extra.append(Edit(edit.end, edit.end + 2, after[:2], after[0], "en.possessive"))
            elif (
                not ends_s
                and edit.old[-1:] in "sS"
                and after[:1] in ("'", "’")
                and (len(after) < 2 or not after[1].isalnum())
            ):
                extra.append(
                    Edit(edit.end, edit.end + 1, after[0], after[0] + "s", "en.possessive")
                )
        result.edits.extend(extra)

    def _agree_they(self, text: str, result: Rewrite) -> None:
        """Singular *they* takes plural verbs: *she is* → *they are*, *he likes* → *they
        like*, *she's* → *they're*, *Does he know?* → *Do they know?*."""
        extra: list[Edit] = []
        for edit in result.edits:
            if edit.new.lower() != "they":
                continue
            contracted = _CONTRACTED_S.match(text, edit.end)
            if contracted:  # she's here → they're here; she's been → they've been
                ending = "'ve" if _has_reading(text, contracted.end()) else "'re"
                old = contracted.group()
                new = ending.replace("'", old[0])
                extra.append(Edit(edit.end, contracted.end(), old, new, "en.agreement.they"))
                extra.extend(_coordinated_verbs(text, contracted.end()))  # she's 30 and lives
                continue
            question = _QUESTION_S.search(text, max(0, edit.start - 12), edit.start)
            if question:  # Where's she going? → Where are they going?
                verb = " have" if _has_reading(text, edit.end) else " are"
                a, b = question.span(1)
                extra.append(Edit(a, b, question.group(1), verb, "en.agreement.they"))
                continue
            before = _inverted_verb(text, edit.start)
            if before is not None:
                extra.append(before)
                continue
            verb = _verb_after(text, edit.end)
            if verb is not None:
                extra.append(verb)
                extra.extend(_coordinated_verbs(text, verb.end))
        # a verb reached twice (a coordinated verb that is also a tag's: *hasn't called, has
        # she?*) is edited once
        seen = {(e.start, e.end) for e in result.edits}
        for e in extra:
            if (e.start, e.end) not in seen:
                seen.add((e.start, e.end))
                result.edits.append(e)
