# Spanish templates for generate-sample.py: made-up support tickets, written for Wordloom.

from templates_en import PRODUCTS

NAMES = ["Lucía", "Carlos", "Marta", "Javier", "Sofía", "Diego"]
CITIES = ["Sevilla", "Valencia", "Bilbao", "Zaragoza", "Málaga", "Lima", "Quito"]
COMPANIES = ["RapidEnvío", "PaqueXpress"]
CARRIERS = COMPANIES + ["El repartidor", "La mensajería"]


def amount(rng):
    return "%d,%02d €" % (rng.randint(4, 240), rng.choice([0, 0, 50, 95, 99]))


LANG = {
    "code": "es",
    "latin": True,
    "sentence_sep": " ",
    "connectors": ["Además, ", "Por cierto, ", "Otra cosa: ", "Y también "],
    "keep_case": PRODUCTS + NAMES + CITIES + COMPANIES,
    "slots": {
        "product": PRODUCTS,
        "name": NAMES,
        "city": CITIES,
        "carrier": CARRIERS,
        "company": COMPANIES,
        "amount": amount,
        "plan": ["Básico", "Plus", "Familiar", "\"Pro\""],
        "date": ["ayer", "el lunes", "el 3 de marzo", "hace dos semanas", "el mes pasado",
                 "el viernes"],
        "device": ["mi iPhone", "un móvil Android", "mi portátil Windows", "mi Mac"],
        "feature": ["la sincronización", "la exportación", "las notificaciones", "el modo oscuro",
                    "las copias de seguridad"],
        "coupon": ["PRIMAVERA20", "BIENVENIDA10", "ENVIOGRATIS"],
    },
    "openers": ["Hola,", "Buenos días,", "Estimado equipo,", "Hola, buenas tardes.", "Saludos,"],
    "fillers": [
        "Es muy frustrante.", "Soy cliente desde hace {years} años.", "Por favor, ayúdenme pronto.",
        "Ya les escribí {date} y nadie contestó.", "Mi número de pedido es {order}.",
        "Gracias de antemano.", "Es la segunda vez que pasa.", "Puedo enviar capturas si hace falta.",
    ],
    "closers": ["Gracias,", "Un saludo,", "Saludos cordiales", "Muchas gracias.", "Quedo a la espera."],
    "signatures": ["{name}", "{name}, {city}", "Enviado desde mi móvil"],
    "generic_titles": ["Ayuda", "Consulta", "Urgente", "Hola", "Problema con mi pedido",
                       "Pedido {order}", "Sobre mi {product}", "Sin asunto"],
    # (correct, slip)
    "typos": [("por favor", "porfa"), ("que", "q"), ("también", "tambien"), ("está", "esta"),
              ("había", "habia"), ("envío", "envio")],
    "classes": {
        "billing": {
            "titles": ["Cobro duplicado", "Solicitud de reembolso", "Factura incorrecta",
                       "Me cobraron tras cancelar", "Cargo desconocido de {amount}",
                       "Cupón no aplicado", "Problema con el pago"],
            "core": [
                "Me han cobrado dos veces el pedido {order}.",
                "Cancelé mi suscripción {plan} {date} y aun así me cobraron {amount}.",
                "¿Pueden devolverme el dinero del pedido {order}? Ya pasaron {days} días.",
                "La factura tiene mal el NIF, por favor corríjanla.",
                "El cupón {coupon} se aplicó, pero me cobraron el precio completo.",
                "El reembolso prometido {date} todavía no aparece en mi cuenta.",
                "Mi banco me avisó de un cargo de {amount} que no reconozco.",
                "¿Cómo cambio la tarjeta de crédito guardada?",
                "Hay un cargo extra de {amount} llamado \"gastos de gestión\", ¿qué es?",
                "Quiero pasar de pago mensual a pago anual.",
            ],
            "ambiguous": ["Pagué el envío urgente y tardó {days} días, quiero que me devuelvan ese dinero."],
        },
        "shipping": {
            "titles": ["¿Dónde está mi pedido?", "Paquete no entregado", "Paquete dañado",
                       "Artículo equivocado", "Cambiar dirección de entrega", "Seguimiento parado",
                       "Pedido {order} retrasado"],
            "core": [
                "Mi pedido {order} no ha llegado después de {days} días.",
                "El seguimiento dice \"en tránsito\" desde {date}.",
                "La caja llegó aplastada y el {product} está golpeado.",
                "{carrier} dejó el paquete en otra dirección de {city}.",
                "¿Puedo cambiar la dirección de entrega? Me mudo a {city}.",
                "Recibí el pedido de otra persona en lugar de mi {product}.",
                "Solo venía uno de los dos artículos en la caja.",
                "Figura como entregado pero no había nada en mi puerta.",
                "El paquete está retenido en aduanas desde {date}.",
                "¿Hacen envíos a {city}? ¿Cuánto tarda?",
            ],
            "ambiguous": ["Devolví el {product} hace {days} días y no sé nada más."],
        },
        "technical": {
            "titles": ["La app se cierra", "{error}", "No conecta por Bluetooth", "No conecta al wifi",
                       "Falló la actualización", "Error en {feature}", "El {product} no funciona"],
            "core": [
                "La aplicación se cierra cada vez que abro {feature} en {device}.",
                "Desde la versión {version} el {product} no se empareja por Bluetooth.",
                "Me sale {error} al sincronizar.",
                "El {product} se desconecta del wifi todo el rato.",
                "La actualización de firmware falló y ahora la luz parpadea en rojo.",
                "La batería baja del 100% al 20% en una hora.",
                "Exportar a PDF genera una página en blanco.",
                "Las notificaciones dejaron de funcionar tras la última actualización.",
                "Ya probé a reiniciar y reinstalar, y nada.",
                "No carga ni con el cable original.",
            ],
            "ambiguous": ["La aplicación me cierra la sesión cada pocos minutos con {error}."],
        },
        "account": {
            "titles": ["No puedo iniciar sesión", "Restablecer contraseña", "Borrar mi cuenta",
                       "Cuenta bloqueada", "Inicio de sesión sospechoso", "Cambiar correo"],
            "core": [
                "No puedo entrar, dice que la contraseña es incorrecta aunque la cambié.",
                "Nunca me llega el correo para restablecer la contraseña.",
                "Por favor, borren mi cuenta y todos mis datos.",
                "Quiero cambiar el correo electrónico de mi cuenta.",
                "Mi cuenta se bloqueó después de varios intentos.",
                "Alguien entró en mi cuenta desde {city} y no fui yo.",
                "Los códigos de verificación en dos pasos no funcionan.",
                "El enlace de verificación dice que ha caducado.",
                "Quiero descargar una copia de mis datos personales.",
                "Perdí el número de teléfono que usaba para verificar la cuenta.",
            ],
            "ambiguous": ["Cierren mi cuenta y devuélvanme lo que queda del plan {plan}."],
        },
        "praise": {
            "titles": ["¡Gracias!", "Excelente servicio", "Me encanta", "Felicidades a {name}",
                       "Cliente satisfecho"],
            "core": [
                "Solo quería decir que el {product} es fantástico.",
                "{name}, de atención al cliente, fue muy amable.",
                "El envío llegó antes de lo esperado, ¡gracias!",
                "La nueva versión va mucho más rápida, buen trabajo.",
                "La mejor compra del año.",
                "Gracias por el reembolso tan rápido.",
                "Me resolvieron el problema de acceso en minutos.",
                "Cinco estrellas, lo recomiendo.",
                "Sigan así.",
            ],
        },
    },
}
